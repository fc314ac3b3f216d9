package io.eniroute.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.PolicyPhase;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.RealApiServer;
import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.aws.Allocation;
import io.eniroute.operator.aws.Ec2AddressAllocator;
import io.eniroute.operator.aws.FakeEc2;
import io.eniroute.operator.testing.RunningOperator;
import io.eniroute.operator.testing.SimulatedAgents;
import io.eniroute.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Policies with spec.aws: addresses come from the AddressAllocator, a missing allocator is reported. */
@ExtendWith(RealApiServer.class)
class PolicyAwsTest {
  static final Map<String, String> WORKERS = Map.of("role", "worker");
  TestCluster cluster;
  SimulatedAgents agents;
  RunningOperator operator;

  /** Gives every node one secondary address, except nodes named in {@code full} (subnet exhausted). */
  static final class FakeAllocator implements AddressAllocator {
    final Set<String> full = ConcurrentHashMap.newKeySet();
    final Set<String> released = ConcurrentHashMap.newKeySet();

    @Override
    public Allocation ensure(Node node, AwsSettings settings, long generation) {
      String name = node.getMetadata().getName();
      if (full.contains(name)) {
        return Allocation.pending(List.of(), "SubnetFull", "subnet-1 has no free address; free some or pick another subnet");
      }
      return Allocation.done(List.of(new InterfaceAddresses("02:00:00:00:00:0" + name.charAt(name.length() - 1), List.of("10.0.0.1" + name.charAt(name.length() - 1)))));
    }

    @Override
    public Allocation releaseRetired(Node node, AwsSettings settings, long upToGeneration) {
      return Allocation.done(List.of());
    }

    @Override
    public Allocation release(Node node, AwsSettings settings) {
      released.add(node.getMetadata().getName());
      return Allocation.done(List.of());
    }
  }

  @BeforeEach
  void setUp(ControlPlane plane) {
    cluster = new TestCluster(plane);
    agents = new SimulatedAgents(cluster.newClient(), Duration.ofMillis(100), 2).start();
    for (int i = 1; i <= 3; i++) {
      cluster.createNode("node-" + i, WORKERS);
    }
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
    agents.close();
    cluster.close();
  }

  @Test
  void awsPolicyWithoutAnAllocatorIsReportedAndTouchesNoNode() {
    operator = RunningOperator.start(cluster);
    create(awsPolicy());
    await().atMost(Duration.ofSeconds(20)).until(() -> get().getStatus() != null && get().getStatus().getPhase() == PolicyPhase.PENDING);
    NodeNetworkPolicy p = get();
    var degraded = PolicyRolloutTest.condition(p, Api.DEGRADED);
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo("AwsNotConfigured");
    assertThat(degraded.getMessage()).contains("spec.aws").contains("--aws");
    assertThat(PolicyRolloutTest.condition(p, Api.AWS_READY).getStatus()).isEqualTo("False");
    assertThat(cluster.client().resources(NodeNetworkConfig.class).list().getItems()).isEmpty();
  }

  @Test
  void allocatedAddressesLandInTheConfigAndAStuckNodeIsNamed() {
    FakeAllocator allocator = new FakeAllocator();
    allocator.full.add("node-3");
    operator = new RunningOperator(cluster, Optional.of(allocator));
    create(awsPolicy());
    await().atMost(Duration.ofSeconds(20)).until(() -> get().getStatus() != null && get().getStatus().getReadyNodes() == 2);
    NodeNetworkConfig c1 = cluster.client().resources(NodeNetworkConfig.class).withName("node-1").get();
    assertThat(c1.getSpec().getAddresses()).singleElement().satisfies(a -> {
      assertThat(a.getMac()).isEqualTo("02:00:00:00:00:01");
      assertThat(a.getAddresses()).containsExactly("10.0.0.11");
    });
    assertThat(c1.getSpec().getOnlyListedInterfaces()).as("the agent manages only eniroute's interfaces").isTrue();
    assertThat(cluster.client().resources(NodeNetworkConfig.class).withName("node-3").get()).isNull();
    NodeNetworkPolicy p = get();
    assertThat(p.getStatus().getPendingNodes()).isEqualTo(1);
    assertThat(p.getStatus().getFailingNodes()).singleElement().satisfies(f -> {
      assertThat(f.getNode()).isEqualTo("node-3");
      assertThat(f.getReason()).isEqualTo("SubnetFull");
    });
    assertThat(PolicyRolloutTest.condition(p, Api.AWS_READY).getReason()).isEqualTo("SubnetFull");

    cluster.client().resources(NodeNetworkPolicy.class).withName("eips").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> get() == null);
    assertThat(allocator.released).as("node-3 never got a config, but its allocation may have created interfaces")
        .containsExactlyInAnyOrder("node-1", "node-2", "node-3");
  }

  @Test
  void loweringSecondaryIpsReleasesTheAddressInEc2OnlyOnceTheAgentAppliedTheGenerationWithoutIt() {
    FakeEc2 ec2 = new FakeEc2().type("t3.medium", 3, 6);
    String instance = ec2.instance("t3.medium", ec2.subnet("10.0", 200));
    Map<String, String> ec2Nodes = Map.of("role", "ec2");
    cluster.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("node-ec2").withLabels(ec2Nodes)
        .endMetadata().withNewSpec().withProviderID("aws:///us-east-1a/" + instance).endSpec().build()).create();
    // The agent answers generation 1 by itself and stays silent on generation 2 until the test answers.
    agents.behave((node, generation) -> generation >= 2 ? SimulatedAgents.Behaviour.SILENT : SimulatedAgents.Behaviour.APPLY);
    operator = new RunningOperator(cluster, Optional.of(new Ec2AddressAllocator(r -> ec2, Clock.systemUTC())));
    NodeNetworkPolicy p = TestCluster.policy("lowered", ec2Nodes, 1, 0, 60);
    AwsSettings aws = new AwsSettings();
    aws.setSecondaryIpsPerInterface(2);
    p.getSpec().setAws(aws);
    create(p);
    await().atMost(Duration.ofSeconds(20)).until(() -> applied("node-ec2", 1));
    String dropped = ec2.interfacesOf(instance).get(0).secondaryIps().get(1);

    // A merge patch without resourceVersion: the operator writes the status meanwhile.
    cluster.client().resources(NodeNetworkPolicy.class).withName("lowered").patch(
        PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"aws\":{\"secondaryIpsPerInterface\":1}}}");
    await().atMost(Duration.ofSeconds(20)).until(() -> config("node-ec2").getSpec().getPolicyGeneration() == 2);
    assertThat(config("node-ec2").getSpec().getAddresses().get(0).getAddresses())
        .as("generation 2 no longer lists it").noneMatch(a -> a.startsWith(dropped + "/"));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
        .until(() -> ec2.interfacesOf(instance).get(0).secondaryIps().contains(dropped));

    SimulatedAgents.answerNow(cluster.client(), "node-ec2", SimulatedAgents.Behaviour.APPLY);

    // Woken by the agent's status write, not the 15 s EC2 retry.
    await().atMost(Duration.ofSeconds(5)).until(() -> !ec2.interfacesOf(instance).get(0).secondaryIps().contains(dropped));
    assertThat(ec2.interfacesOf(instance).get(0).secondaryIps()).hasSize(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> config("node-ec2").getMetadata().getAnnotations() == null
        || !config("node-ec2").getMetadata().getAnnotations().containsKey(SurplusRelease.ANNOTATION));
  }

  boolean applied(String node, long generation) {
    NodeNetworkConfig c = config(node);
    return c != null && c.getStatus() != null && Long.valueOf(generation).equals(c.getStatus().getAppliedPolicyGeneration());
  }

  NodeNetworkConfig config(String node) {
    return cluster.client().resources(NodeNetworkConfig.class).withName(node).get();
  }

  NodeNetworkPolicy awsPolicy() {
    NodeNetworkPolicy p = TestCluster.policy("eips", WORKERS, 3, 0, 60);
    AwsSettings aws = new AwsSettings();
    aws.setSecondaryIpsPerInterface(1);
    p.getSpec().setAws(aws);
    return p;
  }

  void create(NodeNetworkPolicy p) {
    cluster.client().resource(p).create();
  }

  NodeNetworkPolicy get() {
    return cluster.client().resources(NodeNetworkPolicy.class).withName("eips").get();
  }
}
