package io.eniroute.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.PolicyPhase;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.RealApiServer;
import io.eniroute.operator.aws.Ec2Action;
import io.eniroute.operator.aws.Ec2AddressAllocator;
import io.eniroute.operator.aws.Ec2CampaignWorld;
import io.eniroute.operator.aws.Ec2Target;
import io.eniroute.operator.aws.FaultyEc2.Call;
import io.eniroute.operator.aws.FaultyEc2.Fault;
import io.eniroute.operator.aws.InstanceTypeLimitsSource;
import io.eniroute.operator.aws.SubnetCooldown;
import io.eniroute.operator.testing.DirectExecutor;
import io.eniroute.operator.testing.MutableClock;
import io.eniroute.operator.testing.ReconcilerHarness;
import io.eniroute.operator.testing.SimulatedAgents;
import io.eniroute.operator.testing.SimulatedAgents.Behaviour;
import io.eniroute.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The EC2 fault campaign's share through the reconciler on the real API server (the breadth is
 * Ec2FaultCampaignTest, at the allocator): one fault of each kind at a call of each phase, the
 * policy created, its counts lowered, then deleted, one reconcile at a time
 * ({@link ReconcilerHarness}, EC2 work inside the reconcile), the node's agent answering at once.
 * Judged on what a person sees: while EC2 fails, the policy's AwsAddressesReady and Degraded
 * conditions carry the reason and a sentence that says what happens or what to change; in the
 * end the policy is Complete and the node's NodeNetworkConfig lists exactly EC2's addresses; an
 * exhausted subnet ends in conditions naming the subnet and spec.aws.subnetId; after deletion
 * EC2 holds nothing of eniroute's and the co-tenants are untouched.
 */
@ExtendWith(RealApiServer.class)
class Ec2FaultCampaignPolicyTest {
  static final Map<String, String> WORKERS = Map.of("role", "worker");
  static final String POLICY = "campaign";
  static final String NODE = "node-1";
  static final int MAX_RECONCILES = 12;

  TestCluster cluster;
  final List<String> failures = new ArrayList<>();
  int tried;
  int converged;
  int leaked;
  int duplicated;
  int unclear;

  @BeforeEach
  void setUp(ControlPlane plane) {
    cluster = new TestCluster(plane);
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  @Test
  void ec2FaultsInEveryPhaseEndCompleteOrInAStatusNamingTheFixWithNothingLeakedAfterDeletion() {
    point(new Call(Ec2Action.CREATE_NETWORK_INTERFACE, 1), Fault.THROTTLED, 3, false);
    point(new Call(Ec2Action.ATTACH_NETWORK_INTERFACE, 1), Fault.NOT_FOUND, 1, false);
    point(new Call(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES, 1), Fault.LOST_500, 1, false);
    point(new Call(Ec2Action.ASSOCIATE_ADDRESS, 1), Fault.LOST_TIMEOUT, 1, false);
    point(new Call(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES, 2), Fault.SUBNET_FULL, 1, false);
    // the trim's and the release's calls: their ordinals follow the allocation's
    point(new Call(Ec2Action.DETACH_NETWORK_INTERFACE, 1), Fault.LOST_500, 1, false);
    point(new Call(Ec2Action.DISASSOCIATE_ADDRESS, 5), Fault.THROTTLED, 3, false);
    point(new Call(Ec2Action.DELETE_NETWORK_INTERFACE, 2), Fault.NOT_FOUND, 1, false);
    point(new Call(Ec2Action.CREATE_NETWORK_INTERFACE, 1), Fault.SUBNET_FULL, Integer.MAX_VALUE, true);
    point(new Call(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES, 1), Fault.SUBNET_FULL, Integer.MAX_VALUE, true);
    // the release's second detach refused until the IAM policy is fixed: the deletion waits and says why
    point(new Call(Ec2Action.DETACH_NETWORK_INTERFACE, 2), Fault.UNAUTHORIZED, Integer.MAX_VALUE, false);

    System.out.printf("EC2 fault campaign (reconciler, real API server): %d points tried, %d converged, %d leaked,"
        + " %d duplicated, %d unclear status%n", tried, converged, leaked, duplicated, unclear);
    failures.forEach(f -> System.out.println("  " + f));
    assertThat(failures).isEmpty();
    assertThat(converged).isEqualTo(tried);
  }

  /** One point on a fresh EC2 and a fresh node: create, lower, delete; judged as the class says. */
  private void point(Call at, Fault fault, int times, boolean persistent) {
    String label = at + " " + fault + (times == Integer.MAX_VALUE ? " for good" : times > 1 ? " x" + times : "");
    tried++;
    Ec2CampaignWorld world = new Ec2CampaignWorld();
    world.faulty.inject(at, fault, times);
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2));
    Ec2AddressAllocator allocator = new Ec2AddressAllocator(r -> world.faulty, new InstanceTypeLimitsSource(),
        new SubnetCooldown(clock, Ec2AddressAllocator.SUBNET_COOL_DOWN));
    List<String> missed = new ArrayList<>();
    List<String> vague = new ArrayList<>();
    cluster.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).withLabels(WORKERS)
        .addToLabels(Ec2Target.REGION_LABEL, "us-east-1").endMetadata()
        .withNewSpec().withProviderID("aws:///us-east-1a/" + world.instance).endSpec().build()).create();
    try (ReconcilerHarness harness = new ReconcilerHarness(cluster, clock, Optional.of(allocator), new DirectExecutor())) {
      cluster.client().resource(policy(Ec2CampaignWorld.settings(3, 2))).create();
      NodeNetworkPolicy p = rollOut(harness, clock, vague);
      if (persistent) {
        Condition aws = PolicyRolloutTest.condition(p, Api.AWS_READY);
        Condition degraded = PolicyRolloutTest.condition(p, Api.DEGRADED);
        if (!"SubnetFull".equals(aws.getReason()) || !aws.getMessage().contains(world.subnet)
            || !aws.getMessage().contains("spec.aws.subnetId") || !"True".equals(degraded.getStatus())
            || !degraded.getMessage().contains(world.subnet)) {
          missed.add("an exhausted subnet shows as " + aws.getReason() + ": " + aws.getMessage() + " / Degraded="
              + degraded.getStatus() + " " + degraded.getReason() + ": " + degraded.getMessage());
        }
      } else {
        complete(p, world, Ec2CampaignWorld.settings(3, 2), "create", missed);
        cluster.client().resources(NodeNetworkPolicy.class).withName(POLICY).edit(x -> {
          x.getSpec().setAws(Ec2CampaignWorld.settings(2, 1));
          return x;
        });
        complete(rollOut(harness, clock, vague), world, Ec2CampaignWorld.settings(2, 1), "lower the counts", missed);
      }
      List<String> dup = world.duplicates(2);
      if (!dup.isEmpty()) {
        duplicated++;
        failures.add(label + ": duplicated: " + dup);
      }
      cluster.client().resources(NodeNetworkPolicy.class).withName(POLICY).delete();
      for (int i = 0; i < MAX_RECONCILES && harness.policy(POLICY) != null; i++) {
        harness.reconcile(POLICY);
        answer(clock);
      }
      if (harness.policy(POLICY) != null && fault == Fault.UNAUTHORIZED) {
        List<Condition> shown = harness.policy(POLICY).getStatus().getConditions();
        if (shown.stream().noneMatch(c -> "Unauthorized".equals(c.getReason()) && c.getMessage().contains(NODE)
            && c.getMessage().contains("IAM policy"))) {
          missed.add("a release EC2 refuses for good shows no condition naming the node and the IAM fix: " + shown);
        }
        world.faulty.clear();
        for (int i = 0; i < MAX_RECONCILES && harness.policy(POLICY) != null; i++) {
          harness.reconcile(POLICY);
          answer(clock);
        }
      }
      if (harness.policy(POLICY) != null) {
        missed.add("the policy is still there after " + MAX_RECONCILES + " reconciles: "
            + harness.policy(POLICY).getStatus().getConditions());
      }
    } finally {
      cluster.client().nodes().withName(NODE).delete();
    }
    if (missed.isEmpty()) {
      converged++;
    } else {
      failures.add(label + ": not converged: " + missed);
    }
    List<String> left = new ArrayList<>(world.leaks());
    left.addAll(world.foreignTouched());
    if (!left.isEmpty()) {
      leaked++;
      failures.add(label + ": leaked or touched a co-tenant: " + left);
    }
    if (!vague.isEmpty()) {
      unclear++;
      failures.add(label + ": unclear status: " + vague);
    }
  }

  /** Reconciles until the policy is Complete (or MAX_RECONCILES); collects every status a person could not act on. */
  private NodeNetworkPolicy rollOut(ReconcilerHarness harness, MutableClock clock, List<String> vague) {
    NodeNetworkPolicy p = null;
    for (int i = 0; i < MAX_RECONCILES; i++) {
      harness.reconcile(POLICY);
      answer(clock);
      p = harness.policy(POLICY);
      if (p.getStatus() != null && p.getStatus().getPhase() == PolicyPhase.COMPLETE
          && p.getStatus().getObservedGeneration() == p.getMetadata().getGeneration()) {
        return p;
      }
      Condition aws = p.getStatus() == null ? null : PolicyRolloutTest.condition(p, Api.AWS_READY);
      if (aws != null && "False".equals(aws.getStatus()) && !actionable(aws.getMessage())) {
        vague.add(aws.getReason() + ": " + aws.getMessage());
      }
    }
    return p;
  }

  /** The agent answers a spec it has not answered yet; the clock moves past the subnet cool-down and the status pacing. */
  private void answer(MutableClock clock) {
    NodeNetworkConfig c = cluster.client().resources(NodeNetworkConfig.class).withName(NODE).get();
    if (c != null && (c.getStatus() == null || c.getStatus().getObservedGeneration() == null
        || c.getStatus().getObservedGeneration() < c.getMetadata().getGeneration())) {
      SimulatedAgents.answerNow(cluster.client(), NODE, Behaviour.APPLY);
    }
    clock.advance(Ec2AddressAllocator.SUBNET_COOL_DOWN.plus(Duration.ofMinutes(1)));
  }

  private void complete(NodeNetworkPolicy p, Ec2CampaignWorld world, AwsSettings wanted, String step, List<String> missed) {
    if (p.getStatus() == null || p.getStatus().getPhase() != PolicyPhase.COMPLETE) {
      missed.add(step + ": the policy is " + (p.getStatus() == null ? "without status" : p.getStatus().getPhase() + " "
          + p.getStatus().getConditions()));
      return;
    }
    NodeNetworkConfig c = cluster.client().resources(NodeNetworkConfig.class).withName(NODE).get();
    if (c.getSpec().getState() == ConfigState.ABSENT) {
      missed.add(step + ": the node's config is absent");
      return;
    }
    List<String> off = world.notConverged(wanted, c.getSpec().getAddresses());
    if (!off.isEmpty()) {
      missed.add(step + ": the policy is Complete, but " + off);
    }
  }

  private static boolean actionable(String message) {
    return message != null && message.matches("(?s).*(eniroute retries|spec\\.aws\\.|IAM policy|check the operator|EC2 work runs).*");
  }

  private static NodeNetworkPolicy policy(AwsSettings aws) {
    NodeNetworkPolicy p = TestCluster.policy(POLICY, WORKERS, 1, 0, 600);
    p.getSpec().setAws(aws);
    return p;
  }
}
