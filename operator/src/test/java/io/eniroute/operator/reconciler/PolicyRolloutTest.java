package io.eniroute.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.crds.v1alpha1.AgentResult;
import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.PolicyPhase;
import io.eniroute.crds.v1alpha1.Reasons;
import io.eniroute.operator.testing.ConfigHistory;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.RealApiServer;
import io.eniroute.operator.testing.TestCluster;
import io.eniroute.operator.testing.RunningOperator;
import io.eniroute.operator.testing.SimulatedAgents.Behaviour;
import io.eniroute.operator.testing.SimulatedAgents;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rollout end to end: real kube-apiserver (the operator as its ServiceAccount), a real operator, simulated agents. */
@ExtendWith(RealApiServer.class)
class PolicyRolloutTest {
  static final Map<String, String> WORKERS = Map.of("role", "worker");
  TestCluster cluster;
  SimulatedAgents agents;
  ConfigHistory history;
  RunningOperator operator;

  @BeforeEach
  void setUp(ControlPlane plane) {
    cluster = new TestCluster(plane);
    history = new ConfigHistory(cluster.client());
    agents = new SimulatedAgents(cluster.newClient(), Duration.ofMillis(150), 4).start();
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
    agents.close();
    history.close();
    cluster.close();
  }

  @Test
  void tenNodesRollOutCanaryThenWavesOfAtMostThree() {
    nodes(10, WORKERS);
    operator = RunningOperator.start(cluster);
    create(TestCluster.policy("workers", WORKERS, 3, 0, 60));

    NodeNetworkPolicy done = awaitPhase("workers", "Complete");
    var wait = cluster.plane().kubectl("wait", "--for=condition=Ready", "nnp/workers", "--timeout=20s");
    assertThat(wait.exit()).as("kubectl wait --for=condition=Ready on the real server: %s", wait).isZero();

    assertThat(done.getStatus().getMatchedNodes()).isEqualTo(10);
    assertThat(done.getStatus().getReadyNodes()).isEqualTo(10);
    assertThat(done.getStatus().getUpdatedNodes()).isEqualTo(10);
    assertThat(done.getStatus().getFailedNodes()).isZero();
    assertThat(done.getStatus().getPendingNodes()).isZero();
    assertThat(condition(done, Api.READY).getStatus()).isEqualTo("True");
    assertThat(condition(done, Api.READY).getObservedGeneration()).isEqualTo(1L);
    assertThat(history.maxInFlight(1)).isEqualTo(3);
    // The canary is alone until it applied: the second node is handed out only after that.
    var entries = history.entries();
    String canary = history.handOutOrder(1).get(0);
    int canaryApplied = indexOf(entries, e -> e.node().equals(canary) && e.applied());
    int secondHanded = indexOf(entries, e -> !e.node().equals(canary) && "present".equals(e.state()));
    assertThat(secondHanded).isGreaterThan(canaryApplied);
    assertThat(history.handOutsPerNode(1).values()).allMatch(n -> n == 1L);
    NodeNetworkConfig config = cluster.client().resources(NodeNetworkConfig.class).withName("node-05").get();
    assertThat(config.getMetadata().getLabels()).containsEntry(Api.POLICY_LABEL, "workers").containsEntry(Api.NODE_LABEL, "node-05");
    assertThat(config.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo("workers"));
    assertThat(config.getSpec().getPolicyGeneration()).isEqualTo(1L);
    assertThat(eventReasons()).contains("RolloutStarted", "RolloutComplete");
  }

  @Test
  void rolledBackNodeHaltsTheRolloutOthersKeepTheirGenerationAndAFixResumes() {
    nodes(6, WORKERS);
    operator = RunningOperator.start(cluster);
    create(TestCluster.policy("workers", WORKERS, 2, 0, 60));
    awaitPhase("workers", "Complete");

    // Generation 2 is bad on node-03 (its agent rolls back); generation 3 is the fix.
    agents.behave((node, gen) -> node.equals("node-03") && gen == 2 ? Behaviour.ROLL_BACK : Behaviour.APPLY);
    NodeNetworkPolicy bad = edit("workers", p -> p.getSpec().getRouting().setTableBase(20000L));
    assertThat(bad.getMetadata().getGeneration()).isEqualTo(2L);
    NodeNetworkPolicy halted = awaitPhase("workers", "Halted");
    var stalled = cluster.plane().kubectl("wait", "--for=condition=Stalled", "nnp/workers", "--timeout=20s");
    assertThat(stalled.exit()).as("kubectl wait --for=condition=Stalled on the real server: %s", stalled).isZero();
    int handedAtHalt = history.handOutOrder(2).size();
    // agents still answering; a halted rollout must not hand out anything more
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
        .until(() -> history.handOutOrder(2).size() == handedAtHalt);
    halted = get("workers");
    assertThat(history.maxInFlight(2)).isLessThanOrEqualTo(2);
    assertThat(halted.getStatus().getFailedNodes()).isEqualTo(1);
    assertThat(halted.getStatus().getFailingNodes()).singleElement().satisfies(f -> {
      assertThat(f.getNode()).isEqualTo("node-03");
      assertThat(f.getReason()).isEqualTo("RolledBack");
      assertThat(f.getMessage()).contains("API server probe failed");
    });
    Condition degraded = condition(halted, Api.DEGRADED);
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo("RolloutHalted");
    assertThat(degraded.getMessage()).contains("node-03").contains("keep their previous configuration");
    // The nodes not reached yet kept generation 1, applied and untouched.
    List<String> order = history.handOutOrder(2);
    long onGen2 = configs().stream().filter(c -> c.getSpec().getPolicyGeneration() == 2L).count();
    long onGen1 = configs().stream().filter(c -> c.getSpec().getPolicyGeneration() == 1L).count();
    assertThat(onGen2).isEqualTo(order.size()).isLessThan(6);
    assertThat(onGen1).isEqualTo(6 - onGen2);
    assertThat(configs()).filteredOn(c -> c.getSpec().getPolicyGeneration() == 1L)
        .allMatch(c -> c.getStatus().getAppliedPolicyGeneration() == 1L && c.getStatus().getResult() == AgentResult.APPLIED);
    assertThat(configs()).allMatch(c -> "present".equals(c.getSpec().getState().value()));
    assertThat(events("RolloutHalted")).singleElement().satisfies(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).contains("node-03").contains("RolledBack");
      assertThat(e.getInvolvedObject().getName()).isEqualTo("workers");
    });

    edit("workers", p -> p.getSpec().getRouting().setTableBase(30000L));
    NodeNetworkPolicy fixed = awaitPhase("workers", "Complete");
    assertThat(fixed.getStatus().getObservedGeneration()).isEqualTo(3L);
    assertThat(fixed.getStatus().getReadyNodes()).isEqualTo(6);
    assertThat(fixed.getStatus().getFailingNodes()).isEmpty();
    assertThat(configs()).allMatch(c -> c.getSpec().getPolicyGeneration() == 3L && c.getStatus().getAppliedPolicyGeneration() == 3L);
    assertThat(condition(fixed, Api.DEGRADED).getStatus()).isEqualTo("False");
  }

  @Test
  void aNewRetryAnnotationResumesAHaltedRolloutWithoutASpecEditAndTheAgentsTryAgain() {
    nodes(4, WORKERS);
    // The canary's agent rolls back until the cause is fixed (outside eniroute, e.g. a security group).
    agents.behave((node, gen) -> node.equals("node-01") ? Behaviour.ROLL_BACK : Behaviour.APPLY);
    operator = RunningOperator.start(cluster);
    create(TestCluster.policy("workers", WORKERS, 2, 0, 60));
    NodeNetworkPolicy halted = awaitPhase("workers", "Halted");
    assertThat(condition(halted, Api.STALLED).getStatus()).isEqualTo("True");
    assertThat(condition(halted, Api.STALLED).getMessage()).contains(Api.RETRY_ANNOTATION);

    agents.behave((node, gen) -> Behaviour.APPLY);
    edit("workers", p -> p.getMetadata().setAnnotations(Map.of(Api.RETRY_ANNOTATION, "after-sg-fix")));
    NodeNetworkPolicy done = awaitPhase("workers", "Complete");

    assertThat(done.getMetadata().getGeneration()).as("no spec edit").isEqualTo(halted.getMetadata().getGeneration());
    assertThat(done.getStatus().getReadyNodes()).isEqualTo(4);
    assertThat(condition(done, Api.READY).getStatus()).isEqualTo("True");
    assertThat(configs()).as("the token reached every node's spec, so each agent saw a new spec")
        .allSatisfy(c -> assertThat(c.getSpec().getRetryToken()).isEqualTo("after-sg-fix"));
    await().atMost(Duration.ofSeconds(5)).until(() -> eventReasons().contains(Reasons.RETRY_REQUESTED));
  }

  @Test
  void theOperatorAddsItsFinalizerWithoutTouchingTheUsersSpec() {
    nodes(2, WORKERS);
    operator = RunningOperator.start(cluster);
    create(TestCluster.policy("workers", WORKERS, 2, 0, 60));
    NodeNetworkPolicy done = awaitPhase("workers", "Complete");
    assertThat(done.getMetadata().getFinalizers()).contains(Api.POLICY_FINALIZER);
    assertThat(done.getMetadata().getGeneration()).as("no spec write by the operator").isEqualTo(1L);
    assertThat(done.getSpec().getRollout().getMaxUnavailable().getIntVal()).isEqualTo(2);
    assertThat(done.getMetadata().getManagedFields()).as("no field manager of the operator owns spec fields")
        .noneMatch(m -> m.getFieldsV1() != null && String.valueOf(m.getFieldsV1().getAdditionalProperties()).contains("f:spec")
            && !"kubectl".equals(m.getManager()) && m.getOperation().equals("Apply"));
  }

  @Test
  void silentAgentTimesOutAndCountsAsFailed() {
    nodes(3, WORKERS);
    agents.behave((node, gen) -> Behaviour.SILENT);
    operator = RunningOperator.start(cluster);
    create(TestCluster.policy("workers", WORKERS, 1, 0, 10));
    NodeNetworkPolicy halted = awaitPhase("workers", "Halted");
    assertThat(halted.getStatus().getFailingNodes()).singleElement()
        .satisfies(f -> assertThat(f.getReason()).isEqualTo("Timeout"));
    assertThat(configs()).hasSize(1); // the canary only: nobody else was touched
  }

  @Test
  void aConfigMadeByHandIsLeftAloneTheOtherNodesCompleteAndTheConflictNamesItUntilItIsDeleted() {
    nodes(3, WORKERS);
    NodeNetworkConfig byHand = new NodeNetworkConfig();
    byHand.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("node-02").build());
    io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec handSpec = new io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec();
    handSpec.setPolicy("standalone");
    byHand.setSpec(handSpec);
    cluster.client().resource(byHand).create();
    operator = RunningOperator.start(cluster);
    create(TestCluster.policy("workers", WORKERS, 3, 0, 60));

    // The node with a config eniroute did not write is skipped like a node of an older policy:
    // the rest of the rollout completes, and the Conflict condition says what to do.
    NodeNetworkPolicy done = awaitPhase("workers", "Complete");
    assertThat(done.getStatus().getMatchedNodes()).isEqualTo(2);
    assertThat(done.getStatus().getReadyNodes()).isEqualTo(2);
    Condition conflict = condition(done, Api.CONFLICT);
    assertThat(conflict.getStatus()).isEqualTo("True");
    assertThat(conflict.getReason()).isEqualTo("NodesHaveHandMadeConfigs");
    assertThat(conflict.getMessage()).contains("node-02", "kubectl delete nnc node-02");
    assertThat(condition(done, Api.DEGRADED).getStatus()).isEqualTo("False");
    assertThat(config("node-02").getSpec().getPolicy()).as("the hand-made config is untouched").isEqualTo("standalone");
    assertThat(config("node-02").getMetadata().getLabels()).as("not adopted").isNullOrEmpty();

    // Deleting it by hand lets the policy take the node, without any edit of the policy.
    cluster.client().resource(config("node-02")).withTimeout(30, java.util.concurrent.TimeUnit.SECONDS).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      NodeNetworkPolicy p = get("workers");
      return p.getStatus().getReadyNodes() == 3 && "False".equals(condition(p, Api.CONFLICT).getStatus());
    });
    assertThat(config("node-02").getSpec().getPolicy()).isEqualTo("workers");
  }

  @Test
  void olderPolicyOwnsSharedNodesAndTheNewerReportsTheConflict() {
    cluster.createNode("shared-1", Map.of("a", "x", "b", "y"));
    cluster.createNode("shared-2", Map.of("a", "x", "b", "y"));
    cluster.createNode("only-b", Map.of("b", "y"));
    operator = RunningOperator.start(cluster);
    create(TestCluster.policy("first", Map.of("a", "x"), 1, 0, 60));
    awaitPhase("first", "Complete");
    awaitASecondLaterThan(get("first").getMetadata().getCreationTimestamp());
    create(TestCluster.policy("second", Map.of("b", "y"), 1, 0, 60));
    NodeNetworkPolicy second = awaitPhase("second", "Complete");

    assertThat(second.getStatus().getMatchedNodes()).isEqualTo(1);
    Condition conflict = condition(second, Api.CONFLICT);
    assertThat(conflict.getStatus()).isEqualTo("True");
    assertThat(conflict.getMessage()).contains("shared-1", "shared-2", "first");
    assertThat(second.getStatus().getConflicts()).singleElement().satisfies(c -> {
      assertThat(c.getPolicy()).isEqualTo("first");
      assertThat(c.getNodes()).containsExactly("shared-1", "shared-2");
    });
    assertThat(condition(get("first"), Api.CONFLICT).getStatus()).isEqualTo("False");
    assertThat(config("shared-1").getSpec().getPolicy()).isEqualTo("first");
    assertThat(config("only-b").getSpec().getPolicy()).isEqualTo("second");

    // The older policy lets go of shared-1: it reverts, then the newer one takes it over.
    cluster.client().nodes().withName("shared-1").edit(n -> { n.getMetadata().getLabels().remove("a"); return n; });
    // One read per poll: between two reads the old config may be deleted before the new one exists.
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      NodeNetworkConfig shared = config("shared-1");
      return shared != null && "second".equals(shared.getSpec().getPolicy())
          && get("second").getStatus().getReadyNodes() == 2;
    });
    assertThat(history.entries()).anyMatch(e -> e.node().equals("shared-1") && "first".equals(e.policy()) && "Reverted".equals(e.result()));
  }

  @Test
  void joiningNodesGetTheGenerationAtOnceAndLeavingNodesRevertThenLoseTheirConfig() {
    nodes(4, WORKERS);
    operator = RunningOperator.start(cluster);
    create(TestCluster.policy("workers", WORKERS, 1, 0, 60));
    awaitPhase("workers", "Complete");
    // joiners are nodes created after the rollout began (the first handed-at, which is before now),
    // and a node's creationTimestamp has second precision: wait for the next second
    awaitASecondLaterThan(java.time.Instant.now().toString());
    // late-1's agent never answers, so it stays "updating"; maxUnavailable=1 would hold late-2
    // back if joiners went through the waves. They do not: the rollout is complete.
    agents.behave((node, gen) -> node.equals("late-1") ? Behaviour.SILENT : Behaviour.APPLY);
    cluster.createNode("late-1", WORKERS);
    await().atMost(Duration.ofSeconds(20)).until(() -> config("late-1") != null);
    cluster.createNode("late-2", WORKERS);
    await().atMost(Duration.ofSeconds(20)).until(() -> get("workers").getStatus().getReadyNodes() == 5);
    assertThat(history.maxInFlight(1)).isEqualTo(2);
    assertThat(get("workers").getStatus().getPhase()).isEqualTo(PolicyPhase.PROGRESSING);

    // node-01 leaves the selection: absent, the agent reverts, the config is deleted.
    cluster.client().nodes().withName("node-01").edit(n -> { n.getMetadata().getLabels().put("role", "db"); return n; });
    await().atMost(Duration.ofSeconds(20)).until(() -> config("node-01") == null);
    assertThat(history.entries().stream().filter(e -> e.node().equals("node-01")).map(e -> e.state() + "/" + e.result()))
        .containsSubsequence("absent/Applied", "absent/Reverted");
    // node-02 is deleted from the cluster: its config goes at once, no agent needed.
    cluster.client().nodes().withName("node-02").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> config("node-02") == null);
    await().atMost(Duration.ofSeconds(20)).until(() -> get("workers").getStatus().getMatchedNodes() == 4);
    assertThat(get("workers").getStatus().getReadyNodes()).isEqualTo(3); // late-1 is still silent
  }

  @Test
  void deletingThePolicyRevertsEveryNodeBeforeTheFinalizerGoes() {
    nodes(5, WORKERS);
    operator = RunningOperator.start(cluster);
    create(TestCluster.policy("workers", WORKERS, 5, 0, 60));
    awaitPhase("workers", "Complete");
    assertThat(get("workers").getMetadata().getFinalizers()).contains(Api.POLICY_FINALIZER);

    agents.holdReverts("node-05");
    cluster.client().resources(NodeNetworkPolicy.class).withName("workers").delete();
    // node-05's agent has not reverted yet: the policy stays, showing why.
    await().atMost(Duration.ofSeconds(20)).until(() -> configs().size() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> get("workers").getStatus().getPhase() == PolicyPhase.DELETING);
    assertThat(condition(get("workers"), Api.RECONCILING).getMessage()).contains("waiting for 1 node(s) to revert");
    assertThat(get("workers").getMetadata().getFinalizers()).contains(Api.POLICY_FINALIZER);
    agents.releaseReverts();
    await().atMost(Duration.ofSeconds(20)).until(() -> get("workers") == null);
    assertThat(configs()).isEmpty();
    for (int i = 1; i <= 5; i++) {
      String node = String.format("node-%02d", i);
      var seen = history.entries().stream().filter(e -> e.node().equals(node)).toList();
      int absent = indexOf(seen, e -> "absent".equals(e.state()));
      int reverted = indexOf(seen, e -> "Reverted".equals(e.result()));
      int deleted = indexOf(seen, e -> e.action() == io.fabric8.kubernetes.client.Watcher.Action.DELETED);
      assertThat(absent).as(node + " went absent").isGreaterThanOrEqualTo(0);
      assertThat(reverted).as(node + " reverted after absent").isGreaterThan(absent);
      assertThat(deleted).as(node + " deleted after reverting").isGreaterThan(reverted);
    }
  }

  @Test
  void restartedOperatorResumesWithoutRepeatingOrSkippingWaves() {
    agents.close();
    agents = new SimulatedAgents(cluster.newClient(), Duration.ofMillis(700), 4).start();
    nodes(10, WORKERS);
    operator = RunningOperator.start(cluster);
    create(TestCluster.policy("workers", WORKERS, 3, 0, 60));
    // Stop after the canary and while the first wave is in flight.
    await().atMost(Duration.ofSeconds(20)).until(() -> history.handOutOrder(1).size() >= 3);
    operator.close();
    operator = null;
    int handedBeforeRestart = history.handOutOrder(1).size();
    // agents answer while no operator runs; nothing more is handed out meanwhile
    await().atMost(Duration.ofSeconds(10)).until(() -> history.entries().stream()
        .filter(e -> Long.valueOf(1).equals(e.generation()) && e.applied())
        .map(ConfigHistory.Entry::node).distinct().count() >= handedBeforeRestart);
    assertThat(history.handOutOrder(1)).hasSize(handedBeforeRestart);

    operator = RunningOperator.start(cluster);
    NodeNetworkPolicy done = awaitPhase("workers", "Complete");
    assertThat(done.getStatus().getReadyNodes()).isEqualTo(10);
    assertThat(history.maxInFlight(1)).isLessThanOrEqualTo(3);
    assertThat(history.handOutsPerNode(1)).hasSize(10).allSatisfy((node, n) -> assertThat(n).as(node).isEqualTo(1L));
    assertThat(events("RolloutStarted")).hasSize(1);
    assertThat(events("RolloutComplete")).hasSize(1);
  }

  @Test
  void operatorAddsItsFinalizerWithoutChangingOrOwningAnyFieldOfTheUsersSpec() {
    nodes(2, WORKERS);
    NodeNetworkPolicy p = TestCluster.policy("workers", WORKERS, 3, 0, 60);
    p.getSpec().getRouting().getMainDestinations().add("172.17.0.0/16");
    create(p);
    NodeNetworkPolicy before = get("workers");
    operator = RunningOperator.start(cluster);

    await().atMost(Duration.ofSeconds(20)).until(() -> get("workers").getMetadata().getFinalizers().contains(Api.POLICY_FINALIZER));
    NodeNetworkPolicy after = awaitPhase("workers", "Complete");

    assertThat(after.getSpec()).as("the spec the user wrote").usingRecursiveComparison().isEqualTo(before.getSpec());
    assertThat(after.getMetadata().getGeneration()).as("metadata.generation: no spec change").isEqualTo(1L);
    assertThat(after.getMetadata().getManagedFields())
        .as("no field manager but the user's owns spec fields")
        .filteredOn(m -> m.getFieldsV1() != null && m.getFieldsV1().getAdditionalProperties().containsKey("f:spec"))
        .extracting(io.fabric8.kubernetes.api.model.ManagedFieldsEntry::getManager)
        .containsOnly(before.getMetadata().getManagedFields().get(0).getManager());
  }

  // ---- helpers

  void nodes(int count, Map<String, String> labels) {
    IntStream.rangeClosed(1, count).forEach(i -> cluster.createNode(String.format("node-%02d", i), labels));
  }

  void create(NodeNetworkPolicy p) {
    cluster.client().resource(p).create();
  }

  NodeNetworkPolicy get(String name) {
    return cluster.client().resources(NodeNetworkPolicy.class).withName(name).get();
  }

  NodeNetworkPolicy edit(String name, java.util.function.Consumer<NodeNetworkPolicy> change) {
    return cluster.client().resources(NodeNetworkPolicy.class).withName(name).edit(p -> { change.accept(p); return p; });
  }

  NodeNetworkConfig config(String node) {
    return cluster.client().resources(NodeNetworkConfig.class).withName(node).get();
  }

  List<NodeNetworkConfig> configs() {
    return cluster.client().resources(NodeNetworkConfig.class).list().getItems();
  }

  NodeNetworkPolicy awaitPhase(String name, String phase) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      NodeNetworkPolicy p = get(name);
      return p != null && p.getStatus() != null && p.getStatus().getPhase() != null && phase.equals(p.getStatus().getPhase().value())
          && p.getMetadata().getGeneration().equals(p.getStatus().getObservedGeneration());
    });
    return get(name);
  }

  static Condition condition(NodeNetworkPolicy p, String type) {
    return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  List<String> eventReasons() {
    return cluster.client().v1().events().inNamespace("default").list().getItems().stream().map(Event::getReason).toList();
  }

  List<Event> events(String reason) {
    return cluster.client().v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).toList();
  }

  static <T> int indexOf(List<T> list, java.util.function.Predicate<T> p) {
    for (int i = 0; i < list.size(); i++) {
      if (p.test(list.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** Waits until the clock is in a later second than {@code timestamp} (creationTimestamps have second precision). */
  static void awaitASecondLaterThan(String timestamp) {
    java.time.Instant t = java.time.Instant.parse(timestamp);
    await().atMost(Duration.ofSeconds(3)).until(() ->
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).isAfter(t));
  }
}
