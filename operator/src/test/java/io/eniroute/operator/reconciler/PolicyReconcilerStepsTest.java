package io.eniroute.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.PolicyPhase;
import io.eniroute.crds.v1alpha1.Reasons;
import io.eniroute.operator.testing.DirectExecutor;
import io.eniroute.operator.testing.TestCluster;
import io.eniroute.operator.testing.MutableClock;
import io.eniroute.operator.testing.ReconcilerHarness;
import io.eniroute.operator.testing.RecordingAllocator;
import io.eniroute.operator.testing.SimulatedAgents.Behaviour;
import io.eniroute.operator.testing.SimulatedAgents;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rollout one reconcile at a time ({@link ReconcilerHarness}): a fixed clock, agents answered
 * by hand, status and Events asserted after every step. The end-to-end tests (PolicyRolloutTest)
 * run the same reconciler inside JOSDK.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.eniroute.lab.kube.RealApiServer.class)
class PolicyReconcilerStepsTest {
  static final Map<String, String> WORKERS = Map.of("role", "worker");
  // Stands still from here on; after the nodes' creation (the API server stamps real time), so
  // they are not "joiners" that arrived after the rollout started.
  final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2));
  final RecordingAllocator ec2 = new RecordingAllocator();
  TestCluster cluster;
  ReconcilerHarness harness;

  @BeforeEach
  void setUp(io.eniroute.lab.kube.ControlPlane plane) {
    cluster = new TestCluster(plane);
  }

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
    cluster.close();
  }

  ReconcilerHarness harness(Optional<RecordingAllocator> allocator, ExecutorService ec2Threads) {
    harness = new ReconcilerHarness(cluster, clock, allocator.map(a -> a), ec2Threads);
    return harness;
  }

  @Test
  void aRolloutGoesCanaryThenWavesAndEachStepShowsInStatusAndEvents() {
    nodes(5);
    harness(Optional.empty(), new DirectExecutor());
    create(TestCluster.policy("workers", WORKERS, 2, 0, 60));

    Optional<Duration> next = harness.reconcile("workers");
    assertThat(handed()).containsExactly("node-1");
    NodeNetworkPolicy p = harness.policy("workers");
    assertThat(p.getStatus().getPhase()).isEqualTo(PolicyPhase.PROGRESSING);
    assertThat(condition(p, Api.RECONCILING).getStatus()).isEqualTo("True");
    assertThat(condition(p, Api.READY).getStatus()).isEqualTo("False");
    assertThat(condition(p, Api.STALLED).getStatus()).isEqualTo("False");
    assertThat(harness.events().takeReasons()).containsExactly(Reasons.ROLLOUT_STARTED);
    assertThat(next).as("a silent canary is noticed at its deadline").contains(Duration.ofSeconds(60).plusMillis(100));

    harness.reconcile("workers");
    assertThat(handed()).as("no answer from the canary: nothing more").containsExactly("node-1");

    answer("node-1", Behaviour.APPLY);
    harness.reconcile("workers");
    assertThat(handed()).containsExactly("node-1", "node-2", "node-3");

    answer("node-2", Behaviour.APPLY);
    answer("node-3", Behaviour.APPLY);
    harness.reconcile("workers");
    assertThat(handed()).hasSize(5);
    answer("node-4", Behaviour.APPLY);
    answer("node-5", Behaviour.APPLY);
    clock.advance(Duration.ofSeconds(2)); // past the progress-only status pacing
    next = harness.reconcile("workers");

    p = harness.policy("workers");
    assertThat(p.getStatus().getPhase()).isEqualTo(PolicyPhase.COMPLETE);
    assertThat(p.getStatus().getReadyNodes()).isEqualTo(5);
    assertThat(condition(p, Api.READY).getStatus()).isEqualTo("True");
    assertThat(condition(p, Api.READY).getObservedGeneration()).isEqualTo(p.getMetadata().getGeneration());
    assertThat(condition(p, Api.RECONCILING).getStatus()).isEqualTo("False");
    assertThat(p.getStatus().getConditions()).extracting(Condition::getType)
        .containsExactly(Api.READY, Api.RECONCILING, Api.STALLED, Api.DEGRADED, Api.CONFLICT);
    assertThat(harness.events().takeReasons()).containsExactly(Reasons.ROLLOUT_COMPLETE);
    assertThat(next).as("a finished rollout waits for events").isEmpty();
  }

  @Test
  void aSilentCanaryFailsAtItsDeadlineOnTheClockAndHaltsTheRollout() {
    nodes(3);
    harness(Optional.empty(), new DirectExecutor());
    create(TestCluster.policy("workers", WORKERS, 1, 0, 30));
    harness.reconcile("workers");
    harness.events().takeReasons();

    clock.advance(Duration.ofSeconds(29));
    harness.reconcile("workers");
    assertThat(harness.policy("workers").getStatus().getPhase()).isEqualTo(PolicyPhase.PROGRESSING);

    clock.advance(Duration.ofSeconds(2));
    harness.reconcile("workers");
    NodeNetworkPolicy p = harness.policy("workers");
    assertThat(p.getStatus().getPhase()).isEqualTo(PolicyPhase.HALTED);
    assertThat(p.getStatus().getFailingNodes()).singleElement().satisfies(f -> assertThat(f.getReason()).isEqualTo(Reasons.TIMEOUT));
    assertThat(condition(p, Api.STALLED).getStatus()).as("kstatus: halted needs a person").isEqualTo("True");
    assertThat(condition(p, Api.STALLED).getReason()).isEqualTo(Reasons.ROLLOUT_HALTED);
    assertThat(harness.events().takeReasons()).containsExactly(Reasons.ROLLOUT_HALTED);
    assertThat(handed()).containsExactly("node-1");
  }

  @Test
  void aNewRetryAnnotationUnhaltsARolloutAndHandsTheFailedNodeItsSpecWithTheToken() {
    nodes(3);
    harness(Optional.empty(), new DirectExecutor());
    create(TestCluster.policy("workers", WORKERS, 2, 0, 60));
    harness.reconcile("workers");
    answer("node-1", Behaviour.ROLL_BACK);
    harness.reconcile("workers");
    assertThat(harness.policy("workers").getStatus().getPhase()).isEqualTo(PolicyPhase.HALTED);
    long configGeneration = config("node-1").getMetadata().getGeneration();
    harness.events().takeReasons();

    harness.reconcile("workers");
    assertThat(config("node-1").getMetadata().getGeneration()).as("halted: nothing handed again").isEqualTo(configGeneration);

    cluster.client().resources(NodeNetworkPolicy.class).withName("workers").edit(p -> {
      p.getMetadata().setAnnotations(Map.of(Api.RETRY_ANNOTATION, "fixed-gateway"));
      return p;
    });
    harness.reconcile("workers");
    NodeNetworkConfig retried = config("node-1");
    assertThat(retried.getSpec().getRetryToken()).isEqualTo("fixed-gateway");
    assertThat(retried.getMetadata().getGeneration()).as("a new spec for the agent").isGreaterThan(configGeneration);
    NodeNetworkPolicy p = harness.policy("workers");
    assertThat(p.getStatus().getPhase()).isEqualTo(PolicyPhase.PROGRESSING);
    assertThat(condition(p, Api.STALLED).getStatus()).isEqualTo("False");
    assertThat(harness.events().takeReasons()).contains(Reasons.RETRY_REQUESTED);

    answer("node-1", Behaviour.APPLY);
    harness.reconcile("workers");
    answer("node-2", Behaviour.APPLY);
    answer("node-3", Behaviour.APPLY);
    clock.advance(Duration.ofSeconds(2));
    harness.reconcile("workers");
    assertThat(harness.policy("workers").getStatus().getPhase()).isEqualTo(PolicyPhase.COMPLETE);
    assertThat(config("node-3").getSpec().getRetryToken()).as("later nodes carry the token too").isEqualTo("fixed-gateway");
  }

  @Test
  void aReconcileReturnsWhileEc2WorkRunsAndTheNodeIsHandedOnceItFinished() throws Exception {
    nodes(1);
    ExecutorService threads = Executors.newSingleThreadExecutor();
    try {
      harness(Optional.of(ec2), threads);
      ec2.hold("node-1");
      create(awsPolicy());

      Optional<Duration> next = harness.reconcile("workers"); // returns although EC2 has not answered
      assertThat(handed()).isEmpty();
      NodeNetworkPolicy p = harness.policy("workers");
      assertThat(condition(p, Api.AWS_READY).getReason()).isEqualTo(Reasons.ALLOCATING);
      assertThat(condition(p, Api.DEGRADED).getStatus()).as("EC2 work under way is no failure").isEqualTo("False");
      assertThat(next).as("looked at again even if no event comes").isPresent();

      ec2.open("node-1");
      await().atMost(Duration.ofSeconds(10)).until(() -> ec2.calls().size() == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        harness.reconcile("workers");
        return !handed().isEmpty();
      });
      assertThat(config("node-1").getSpec().getAddresses()).singleElement()
          .satisfies(a -> assertThat(a.getAddresses()).containsExactly("10.0.0.10"));
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aDeletedNodeStillGetsItsEc2AddressesReleasedBeforeItsConfigIsDeleted() {
    nodes(2);
    harness(Optional.of(ec2), new DirectExecutor());
    create(awsPolicy());
    harness.reconcile("workers");
    answer("node-1", Behaviour.APPLY);
    harness.reconcile("workers");
    answer("node-2", Behaviour.APPLY);
    harness.reconcile("workers");

    cluster.client().nodes().withName("node-2").delete();
    harness.reconcile("workers");

    assertThat(ec2.calls()).contains("release node-2 aws:///us-east-1a/i-node-2");
    assertThat(config("node-2")).as("config deleted after the release").isNull();
    assertThat(ec2.calls()).noneMatch(c -> c.startsWith("release node-1"));
  }

  @Test
  void aConfigFromAnOlderOperatorGetsItsInstanceRecordedSoADeletedNodeIsStillReleased() {
    nodes(2);
    harness(Optional.of(ec2), new DirectExecutor());
    create(awsPolicy());
    harness.reconcile("workers");
    answer("node-1", Behaviour.APPLY);
    harness.reconcile("workers");
    answer("node-2", Behaviour.APPLY);
    harness.reconcile("workers");
    // an operator from before the instance was recorded wrote node-2's config: no such annotations
    NodeNetworkConfig old = config("node-2");
    old.getMetadata().getAnnotations().remove(DepartedNode.PROVIDER_ID);
    old.getMetadata().getAnnotations().remove(DepartedNode.REGION);
    cluster.client().resource(old).update();
    assertThat(DepartedNode.of(config("node-2"))).isEmpty();

    harness.reconcile("workers"); // nothing to hand out: the same generation everywhere
    assertThat(config("node-2").getMetadata().getAnnotations())
        .containsEntry(DepartedNode.PROVIDER_ID, "aws:///us-east-1a/i-node-2");

    cluster.client().nodes().withName("node-2").delete();
    harness.reconcile("workers");
    assertThat(ec2.calls()).contains("release node-2 aws:///us-east-1a/i-node-2");
    assertThat(config("node-2")).as("config deleted after the release").isNull();
  }

  @Test
  void aSlowReleaseHoldsBackNoOtherNodeAndTheFinalizerGoesWhenAllAreReleased() throws Exception {
    nodes(2);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      harness(Optional.of(ec2), threads);
      create(awsPolicy());
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        harness.reconcile("workers");
        return !handed().isEmpty();
      });
      answer("node-1", Behaviour.APPLY);
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        harness.reconcile("workers");
        return handed().size() == 2;
      });
      answer("node-2", Behaviour.APPLY);

      ec2.hold("node-1");
      cluster.client().resources(NodeNetworkPolicy.class).withName("workers").delete();
      harness.reconcile("workers"); // both to absent
      answer("node-1", Behaviour.APPLY);
      answer("node-2", Behaviour.APPLY);
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        harness.reconcile("workers");
        return config("node-2") == null;
      });
      assertThat(config("node-1")).as("still releasing").isNotNull();
      assertThat(harness.policy("workers").getStatus().getPhase()).isEqualTo(PolicyPhase.DELETING);
      for (int i = 0; i < 5; i++) {
        harness.reconcile("workers"); // node-1 still held: the deletion goes on
      }
      assertThat(ec2.calls()).as("node-2 was released once: a config deleted after its release leaves the node"
          + " without a config, yet it is not released again on every pass").containsOnlyOnce("release node-2 aws:///us-east-1a/i-node-2");

      ec2.open("node-1");
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        harness.reconcile("workers");
        return harness.policy("workers") == null;
      });
      assertThat(ec2.calls()).contains("release node-1 aws:///us-east-1a/i-node-1", "release node-2 aws:///us-east-1a/i-node-2");
      assertThat(harness.events().takeReasons()).contains(Reasons.REVERTED);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void anOverlongRetryValueBlocksThePolicyWithTheLimitAndTouchesNoNode() {
    nodes(1);
    harness(Optional.empty(), new DirectExecutor());
    NodeNetworkPolicy p = TestCluster.policy("workers", WORKERS, 1, 0, 60);
    p.getMetadata().setAnnotations(Map.of(Api.RETRY_ANNOTATION, "x".repeat(300)));
    create(p);
    harness.reconcile("workers");
    NodeNetworkPolicy blocked = harness.policy("workers");
    assertThat(blocked.getStatus().getPhase()).isEqualTo(PolicyPhase.PENDING);
    assertThat(condition(blocked, Api.STALLED).getReason()).isEqualTo(Reasons.INVALID_RETRY);
    assertThat(condition(blocked, Api.STALLED).getMessage()).contains("300 characters", "at most 253");
    assertThat(handed()).isEmpty();
  }

  @Test
  void aFailedReconcileShowsAsDegradedWithTheErrorAndItsAttempt() {
    nodes(1);
    harness(Optional.empty(), new DirectExecutor());
    create(TestCluster.policy("workers", WORKERS, 1, 0, 60));
    harness.reconcile("workers");

    RuntimeException conflict = new RuntimeException("409 Conflict writing NodeNetworkConfig node-1");
    conflict.addSuppressed(new RuntimeException("500 writing NodeNetworkConfig node-2"));
    harness.failed("workers", conflict, 3);

    Condition degraded = condition(harness.policy("workers"), Api.DEGRADED);
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo(Reasons.RECONCILE_FAILED);
    assertThat(degraded.getMessage()).contains("attempt 3", "409 Conflict", "also: 500");
    assertThat(harness.policy("workers").getStatus().getPhase()).as("the rollout itself is as it was")
        .isEqualTo(PolicyPhase.PROGRESSING);
  }

  // --- helpers

  void nodes(int n) {
    for (int i = 1; i <= n; i++) {
      cluster.createNode("node-" + i, WORKERS);
    }
  }

  void create(NodeNetworkPolicy p) {
    cluster.client().resource(p).create();
  }

  NodeNetworkPolicy awsPolicy() {
    NodeNetworkPolicy p = TestCluster.policy("workers", WORKERS, 1, 0, 60);
    AwsSettings aws = new AwsSettings();
    aws.setSecondaryIpsPerInterface(1);
    p.getSpec().setAws(aws);
    return p;
  }

  NodeNetworkConfig config(String node) {
    return cluster.client().resources(NodeNetworkConfig.class).withName(node).get();
  }

  /** Nodes whose config carries the policy's current spec (present), sorted. */
  List<String> handed() {
    return cluster.client().resources(NodeNetworkConfig.class).list().getItems().stream()
        .filter(c -> c.getSpec().getState() == ConfigState.PRESENT)
        .map(c -> c.getMetadata().getName()).sorted().toList();
  }

  /** The node's agent answers its current spec, the way the real agent writes status. */
  void answer(String node, Behaviour b) {
    SimulatedAgents.answerNow(cluster.client(), node, b);
  }

  static Condition condition(NodeNetworkPolicy p, String type) {
    return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }
}
