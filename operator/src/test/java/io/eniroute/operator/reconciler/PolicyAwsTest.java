package io.eniroute.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.PolicyPhase;
import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.aws.Allocation;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.RealApiServer;
import io.eniroute.operator.testing.TestCluster;
import io.eniroute.operator.testing.RunningOperator;
import io.eniroute.operator.testing.SimulatedAgents;
import io.fabric8.kubernetes.api.model.Node;
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
    public Allocation ensure(Node node, AwsSettings settings) {
      String name = node.getMetadata().getName();
      if (full.contains(name)) {
        return Allocation.pending(List.of(), "SubnetFull", "subnet-1 has no free address; free some or pick another subnet");
      }
      return Allocation.done(List.of(new InterfaceAddresses("02:00:00:00:00:0" + name.charAt(name.length() - 1), List.of("10.0.0.1" + name.charAt(name.length() - 1)))));
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
