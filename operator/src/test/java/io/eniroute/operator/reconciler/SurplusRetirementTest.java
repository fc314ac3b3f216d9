package io.eniroute.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.RealApiServer;
import io.eniroute.operator.aws.Ec2AddressAllocator;
import io.eniroute.operator.aws.Ec2Target;
import io.eniroute.operator.aws.Eni;
import io.eniroute.operator.aws.FakeEc2;
import io.eniroute.operator.aws.Tags;
import io.eniroute.operator.testing.DirectExecutor;
import io.eniroute.operator.testing.MutableClock;
import io.eniroute.operator.testing.ReconcilerHarness;
import io.eniroute.operator.testing.SimulatedAgents.Behaviour;
import io.eniroute.operator.testing.SimulatedAgents;
import io.eniroute.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lowering a policy's EC2 counts, one reconcile at a time on the real API server with the real
 * allocator on the in-memory EC2: the surplus leaves the node's config first and EC2 only once
 * the node's agent reported the generation that no longer lists it (or the node cannot use it).
 */
@ExtendWith(RealApiServer.class)
class SurplusRetirementTest {
  static final Map<String, String> WORKERS = Map.of("role", "worker");
  static final String POLICY = "eips";
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2));
  final FakeEc2 ec2 = new FakeEc2().type("t3.medium", 3, 6);
  final String subnet = ec2.subnet("10.0", 200);
  final String instance = ec2.instance("t3.medium", subnet);
  TestCluster cluster;
  ReconcilerHarness harness;

  @BeforeEach
  void setUp(ControlPlane plane) {
    cluster = new TestCluster(plane);
    cluster.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("node-1").withLabels(WORKERS)
        .addToLabels(Ec2Target.REGION_LABEL, "us-east-1").endMetadata()
        .withNewSpec().withProviderID("aws:///us-east-1a/" + instance).endSpec().build()).create();
    harness = newOperator();
  }

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
    cluster.close();
  }

  ReconcilerHarness newOperator() {
    return new ReconcilerHarness(cluster, clock, Optional.of(new Ec2AddressAllocator(r -> ec2, clock)), new DirectExecutor());
  }

  @Test
  void loweringSecondaryIpsKeepsTheAddressInEc2UntilTheAgentReportsTheNewGenerationApplied() {
    String dropped = rolledOutThenLowered(1, 2, 1, 1);

    assertThat(listed()).as("the new spec no longer lists it").doesNotContain(dropped);
    assertThat(assignedInEc2()).as("the agent still applies generation 1, which routes it").contains(dropped);
    harness.reconcile(POLICY);
    assertThat(assignedInEc2()).as("no answer yet: still assigned").contains(dropped);

    SimulatedAgents.answerNow(cluster.client(), "node-1", Behaviour.APPLY);
    harness.reconcile(POLICY);

    assertThat(assignedInEc2()).as("released right after the agent applied generation 2").doesNotContain(dropped)
        .hasSize(1 + 1);
    assertThat(config().getMetadata().getAnnotations()).doesNotContainKey(SurplusRelease.ANNOTATION);
  }

  @Test
  void anAgentThatRollsTheNewGenerationBackKeepsTheSurplusAssigned() {
    String dropped = rolledOutThenLowered(1, 2, 1, 1);

    SimulatedAgents.answerNow(cluster.client(), "node-1", Behaviour.ROLL_BACK);
    harness.reconcile(POLICY);

    assertThat(assignedInEc2()).as("the node is back on generation 1, which routes it").contains(dropped);
  }

  @Test
  void anOperatorRestartBetweenTheTwoPhasesReleasesExactlyTheRetiredSurplus() {
    String dropped = rolledOutThenLowered(1, 2, 1, 1);
    List<String> before = assignedInEc2();
    assertThat(before).hasSize(1 + 2).contains(dropped);
    harness.close();
    harness = newOperator();

    SimulatedAgents.answerNow(cluster.client(), "node-1", Behaviour.APPLY);
    harness.reconcile(POLICY);

    assertThat(assignedInEc2()).as("only the retired address went").containsExactlyElementsOf(
        before.stream().filter(ip -> !ip.equals(dropped)).toList());
    int mutating = ec2.mutatingCalls();
    harness.reconcile(POLICY);
    assertThat(ec2.mutatingCalls()).as("nothing more to do").isEqualTo(mutating);
  }

  @Test
  void aNodeDeletedWhileItsSurplusRetiresHasEverythingReleased() {
    rolledOutThenLowered(1, 2, 1, 1);

    cluster.client().nodes().withName("node-1").delete();
    for (int i = 0; i < 3 && config() != null; i++) {
      harness.reconcile(POLICY);
    }

    assertThat(config()).as("the config of a gone node is deleted").isNull();
    assertThat(ec2.interfacesOf(instance)).singleElement().satisfies(e -> assertThat(e.secondaryIps()).isEmpty());
  }

  @Test
  void aPolicyDeletedWhileItsSurplusRetiresReleasesEverythingAfterTheRevert() {
    String dropped = rolledOutThenLowered(1, 2, 1, 1);

    cluster.client().resources(NodeNetworkPolicy.class).withName(POLICY).delete();
    harness.reconcile(POLICY);
    assertThat(assignedInEc2()).as("the agent has not reverted yet").contains(dropped);
    SimulatedAgents.answerNow(cluster.client(), "node-1", Behaviour.APPLY); // answers absent with Reverted
    for (int i = 0; i < 3 && harness.policy(POLICY) != null; i++) {
      harness.reconcile(POLICY);
    }

    assertThat(harness.policy(POLICY)).as("finalizer removed").isNull();
    assertThat(config()).isNull();
    assertThat(ec2.interfacesOf(instance)).singleElement().satisfies(e -> {
      assertThat(e.secondaryIps()).as("the kept and the retiring address both released").isEmpty();
      assertThat(e.tags()).doesNotContainKeys(Tags.SECONDARY_IPS,
          Tags.RETIRING_IPS);
    });
  }

  @Test
  void aNodeNotReadyLongerThanTheNodeTimeoutHasItsSurplusReleasedWithoutAnAnswer() {
    String dropped = rolledOutThenLowered(1, 2, 1, 1);
    Node n = cluster.client().nodes().withName("node-1").get();
    n.setStatus(new NodeStatusBuilder().withConditions(new NodeConditionBuilder()
        .withType("Ready").withStatus("Unknown").withReason("NodeStatusUnknown")
        .withLastTransitionTime(clock.instant().minusSeconds(30).toString()).build()).build());
    cluster.client().nodes().resource(n).updateStatus();

    harness.reconcile(POLICY);
    assertThat(assignedInEc2()).as("NotReady for 30 s of a 60 s timeout: kept").contains(dropped);

    clock.advance(Duration.ofSeconds(31));
    harness.reconcile(POLICY);
    assertThat(assignedInEc2()).as("NotReady past the timeout: it cannot be using it").doesNotContain(dropped);
  }

  @Test
  void aSurplusInterfaceStaysAttachedUntilTheAgentAppliedTheGenerationWithoutIt() {
    rolledOutThenLowered(2, 1, 1, 1);
    List<Eni> attached = ec2.interfacesOf(instance);
    assertThat(attached).hasSize(2);
    assertThat(config().getSpec().getAddresses()).extracting(InterfaceAddresses::getInterfaceId)
        .as("the spec lists the primary only").containsExactly(attached.get(0).id());

    harness.reconcile(POLICY);
    assertThat(ec2.interfacesOf(instance)).as("still attached while the agent routes it").hasSize(2);

    SimulatedAgents.answerNow(cluster.client(), "node-1", Behaviour.APPLY);
    harness.reconcile(POLICY);

    assertThat(ec2.interfacesOf(instance)).extracting(Eni::id).containsExactly(attached.get(0).id());
    assertThat(ec2.allInterfaces()).as("detached and deleted").hasSize(1);
  }

  /** Rolls the policy out with the first counts, the agent applies, then lowers them; returns the secondary address dropped. */
  private String rolledOutThenLowered(int interfaces, int secondaryIps, int lowerInterfaces, int lowerSecondaryIps) {
    NodeNetworkPolicy p = TestCluster.policy(POLICY, WORKERS, 1, 0, 60);
    p.getSpec().setAws(aws(interfaces, secondaryIps));
    cluster.client().resource(p).create();
    harness.reconcile(POLICY);
    assertThat(config()).as("handed out").isNotNull();
    SimulatedAgents.answerNow(cluster.client(), "node-1", Behaviour.APPLY);
    harness.reconcile(POLICY);
    List<String> before = assignedInEc2();

    cluster.client().resources(NodeNetworkPolicy.class).withName(POLICY).edit(x -> {
      x.getSpec().setAws(aws(lowerInterfaces, lowerSecondaryIps));
      return x;
    });
    harness.reconcile(POLICY);
    assertThat(config().getSpec().getPolicyGeneration()).as("generation 2 handed out").isEqualTo(2);
    assertThat(config().getMetadata().getAnnotations()).containsEntry(SurplusRelease.ANNOTATION, "2");
    return before.get(before.size() - 1);
  }

  private static AwsSettings aws(int interfaces, int secondaryIps) {
    AwsSettings aws = new AwsSettings();
    aws.setInterfacesPerNode(interfaces);
    aws.setSecondaryIpsPerInterface(secondaryIps);
    return aws;
  }

  private NodeNetworkConfig config() {
    return cluster.client().resources(NodeNetworkConfig.class).withName("node-1").get();
  }

  /** The primary interface's addresses as EC2 has them (primary first). */
  private List<String> assignedInEc2() {
    Eni primary = ec2.interfacesOf(instance).get(0);
    return Stream.concat(Stream.of(primary.primaryIp()), primary.secondaryIps().stream())
        .toList();
  }

  /** The addresses the node's current spec lists, without prefix length. */
  private List<String> listed() {
    return config().getSpec().getAddresses().stream().flatMap(a -> a.getAddresses().stream())
        .map(a -> a.replaceAll("/\\d+$", "")).toList();
  }
}
