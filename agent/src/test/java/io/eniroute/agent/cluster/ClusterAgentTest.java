package io.eniroute.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.agent.drift.ReconcileLoop;
import io.eniroute.agent.imds.Discovery;
import io.eniroute.agent.imds.ImdsHints;
import io.eniroute.agent.imds.ImdsInterface;
import io.eniroute.agent.observability.AgentMetrics;
import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.crds.v1alpha1.AgentResult;
import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigStatus;
import io.eniroute.crds.v1alpha1.ProbeResult;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.RealApiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster agent against the real kube-apiserver, authenticated as the chart's agent on its
 * node (RBAC and the own-node admission policy in force), with a fake routing (no kernel).
 */
@ExtendWith(RealApiServer.class)
class ClusterAgentTest {
  private static final String NODE = "node-a";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final ReconcileLoop.Timing FAST = new ReconcileLoop.Timing(Duration.ofMillis(200),
      Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(200));

  private final ClusterApi api;
  private final FakeRouting routing = new FakeRouting();
  private final FakeEvents events = new FakeEvents();
  private ClusterAgent agent;

  ClusterAgentTest(ControlPlane plane) {
    this.api = new ClusterApi(plane);
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    api.close();
  }

  /** @param hints the IMDS hints, given the agent's Node lookup (for the instance cross-check) */
  private ClusterAgent start(KubernetesClient client, Optional<NodeNetworkConfigSpec> journal,
      java.util.function.Function<NodeLookup, ImdsHints> hints) {
    NodeLookup lookup = new NodeLookup(client, NODE, Duration.ofSeconds(5));
    agent = new ClusterAgent(client, NODE, routing, () -> journal, hints.apply(lookup), lookup, events, FAST,
        new AgentMetrics(Clock.systemUTC()), Clock.systemUTC()).start();
    return agent;
  }

  private ClusterAgent start() {
    return start(api.agentClient(NODE), Optional.empty(), lookup -> ImdsHints.disabled());
  }

  /** This node's Node object as the AWS cloud provider leaves it. */
  private void createNode(String providerId) {
    api.client.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(NODE)
        .addToLabels(NodeIdentity.REGION_LABEL, "eu-west-1").endMetadata()
        .withNewSpec().withProviderID(providerId).endSpec().build()).create();
  }

  /** IMDS on instance i-1 with eth0 (…:01, device 0) and eth1 (…:02, device 1), both in the kernel. */
  private static ImdsHints imdsOnInstance1(NodeLookup lookup) {
    Discovery d = new Discovery("i-1", "eu-west-1", "02:aa:00:00:00:01",
        List.of(new ImdsInterface("02:aa:00:00:00:01", "eni-a", 0, 0, List.of("10.0.0.10"), "10.0.0.0/24"),
            new ImdsInterface("02:aa:00:00:00:02", "eni-b", 1, 0, List.of("10.0.0.20"), "10.0.0.0/24")),
        List.of(), null);
    return new ImdsHints(() -> d, Duration.ofSeconds(30), System::nanoTime,
        () -> java.util.Set.of("02:aa:00:00:00:01", "02:aa:00:00:00:02"), lookup::instanceId);
  }

  private NodeNetworkConfig create(NodeNetworkConfig c) {
    return api.client.resources(NodeNetworkConfig.class).resource(c).create();
  }

  private NodeNetworkConfigStatus awaitStatus(java.util.function.Predicate<NodeNetworkConfig> until) {
    return await().atMost(WAIT).until(() -> api.get(NODE), c -> c != null && c.getStatus() != null && until.test(c)).getStatus();
  }

  private static Condition condition(NodeNetworkConfigStatus s, String type) {
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private NodeNetworkConfig editSpec(java.util.function.Consumer<NodeNetworkConfigSpec> change) {
    return api.client.resources(NodeNetworkConfig.class).withName(NODE).edit(c -> {
      change.accept(c.getSpec());
      return c;
    });
  }

  @Test
  void appliesItsOwnConfigOnlyAndReportsAppliedWithInterfacesAndCounts() {
    create(ClusterApi.config("node-b", 99, "10.0.0.99"));
    NodeNetworkConfig mine = create(ClusterApi.config(NODE, 7, "10.0.0.20", "10.0.0.21"));
    createNode("aws:///eu-west-1a/i-0abc");
    start(); // IMDS off: the identity is the Node object's

    NodeNetworkConfigStatus s = awaitStatus(c -> AgentResult.APPLIED == c.getStatus().getResult());

    assertThat(routing.reconciled).allSatisfy(spec -> assertThat(spec.getPolicyGeneration()).isEqualTo(7L));
    assertThat(s.getObservedGeneration()).isEqualTo(mine.getMetadata().getGeneration());
    assertThat(s.getAppliedPolicyGeneration()).isEqualTo(7L);
    assertThat(condition(s, Api.APPLIED).getStatus()).isEqualTo("True");
    assertThat(condition(s, Api.APPLIED).getObservedGeneration()).isEqualTo(mine.getMetadata().getGeneration());
    assertThat(condition(s, Api.APPLIED).getMessage()).isEqualTo(
        "policy generation 7 applied on instance i-0abc in eu-west-1 (zone eu-west-1a): 2 managed interface(s), 3 rule(s), 2 route(s)");
    assertThat(condition(s, Api.DEGRADED).getStatus()).isEqualTo("False");
    assertThat(condition(s, Api.ROLLED_BACK).getStatus()).isEqualTo("False");
    assertThat(s.getInterfaces()).extracting(i -> i.getName()).containsExactly("eth0", "eth1");
    assertThat(s.getInterfaces().get(1).getAddresses()).containsExactly("10.0.0.20", "10.0.0.21");
    assertThat(s.getOwnedRules()).isEqualTo(3);
    assertThat(s.getOwnedRoutes()).isEqualTo(2);
    assertThat(s.getLastApply().getKernelWrites()).isEqualTo(9);
    assertThat(s.getLastApply().getOutcome()).isEqualTo("Applied");
    assertThat(s.getLastApply().getTime()).isNotBlank();
    // The other node's config was never touched.
    assertThat(api.get("node-b").getStatus()).isNull();
    assertThat(agent.health().notReadyReason()).isNull();
  }

  @Test
  void aSpecChangeIsAppliedAndTheStatusFollowsTheNewGeneration() {
    create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    start();
    NodeNetworkConfigStatus first = awaitStatus(c -> Long.valueOf(7).equals(c.getStatus().getAppliedPolicyGeneration()));
    String degradedSince = condition(first, Api.DEGRADED).getLastTransitionTime();

    NodeNetworkConfig changed = editSpec(s -> {
      s.setPolicyGeneration(8L);
      s.getAddresses().get(0).getAddresses().add("10.0.0.22");
    });
    assertThat(changed.getMetadata().getGeneration()).isGreaterThan(first.getObservedGeneration());

    NodeNetworkConfigStatus s = awaitStatus(c -> Long.valueOf(8).equals(c.getStatus().getAppliedPolicyGeneration())
        && changed.getMetadata().getGeneration().equals(c.getStatus().getObservedGeneration()));
    assertThat(condition(s, Api.APPLIED).getObservedGeneration()).isEqualTo(changed.getMetadata().getGeneration());
    // Degraded was False before, while applying (Pending) and after: its transition time does not move.
    // (Applied may have flipped to False/Applying for the Pending report in between, so its time may move.)
    assertThat(condition(s, Api.DEGRADED).getLastTransitionTime()).isEqualTo(degradedSince);
    assertThat(routing.reconciled.get(routing.reconciled.size() - 1).getAddresses().get(0).getAddresses())
        .containsExactly("10.0.0.20", "10.0.0.22");
  }

  /** Every status the API server held for NODE, in order, as "result@observedGeneration" (repeats collapsed). */
  private List<String> recordStatuses() {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    api.client.resources(NodeNetworkConfig.class).withName(NODE).watch(new io.fabric8.kubernetes.client.Watcher<>() {
      @Override
      public void eventReceived(Action action, NodeNetworkConfig c) {
        if (c.getStatus() != null) {
          String now = c.getStatus().getResult().value() + "@" + c.getStatus().getObservedGeneration();
          if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now)) {
            seen.add(now);
          }
        }
      }

      @Override
      public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
      }
    });
    return seen;
  }

  @Test
  void aNewGenerationShowsPendingUntilItsPassEndsThenTheResult() throws Exception {
    NodeNetworkConfig v1 = create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    List<String> seen = recordStatuses();
    long g1 = v1.getMetadata().getGeneration();
    java.util.concurrent.CountDownLatch pass1 = new java.util.concurrent.CountDownLatch(1);
    routing.hold(7, pass1);
    start();

    // The first pass for a brand-new config: Pending for its generation while it runs.
    NodeNetworkConfigStatus p1 = awaitStatus(c -> AgentResult.PENDING == c.getStatus().getResult());
    assertThat(p1.getObservedGeneration()).isEqualTo(g1);
    assertThat(p1.getAppliedPolicyGeneration()).as("nothing applied yet").isNull();
    assertThat(condition(p1, Api.APPLIED).getStatus()).isEqualTo("False");
    assertThat(condition(p1, Api.APPLIED).getReason()).isEqualTo("Applying");
    assertThat(condition(p1, Api.APPLIED).getMessage()).isEqualTo("applying generation " + g1 + " (policy generation 7)");
    assertThat(p1.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(g1));
    pass1.countDown();
    NodeNetworkConfigStatus a1 = awaitStatus(c -> AgentResult.APPLIED == c.getStatus().getResult());
    assertThat(a1.getObservedGeneration()).isEqualTo(g1);
    assertThat(a1.getAppliedPolicyGeneration()).isEqualTo(7L);

    // A spec change: Pending for the new generation, still describing the node as it is (generation 7 in force).
    java.util.concurrent.CountDownLatch pass2 = new java.util.concurrent.CountDownLatch(1);
    routing.hold(8, pass2);
    long g2 = editSpec(s -> {
      s.setPolicyGeneration(8L);
      s.getAddresses().get(0).getAddresses().add("10.0.0.22");
    }).getMetadata().getGeneration();
    NodeNetworkConfigStatus p2 = awaitStatus(c -> AgentResult.PENDING == c.getStatus().getResult());
    assertThat(p2.getObservedGeneration()).isEqualTo(g2).isGreaterThan(g1);
    assertThat(p2.getAppliedPolicyGeneration()).as("8 is not applied yet").isEqualTo(7L);
    assertThat(condition(p2, Api.APPLIED).getStatus()).isEqualTo("False");
    assertThat(condition(p2, Api.APPLIED).getReason()).isEqualTo("Applying");
    assertThat(condition(p2, Api.DEGRADED).getStatus()).isEqualTo("False");
    assertThat(condition(p2, Api.ROLLED_BACK).getStatus()).isEqualTo("False");
    assertThat(p2.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(g2));
    assertThat(p2.getInterfaces()).usingRecursiveFieldByFieldElementComparator().isEqualTo(a1.getInterfaces());
    assertThat(p2.getOwnedRules()).isEqualTo(a1.getOwnedRules());
    assertThat(p2.getLastApply()).usingRecursiveComparison().isEqualTo(a1.getLastApply());
    pass2.countDown();
    NodeNetworkConfigStatus a2 = awaitStatus(c -> AgentResult.APPLIED == c.getStatus().getResult());
    assertThat(a2.getObservedGeneration()).isEqualTo(g2);
    assertThat(a2.getAppliedPolicyGeneration()).isEqualTo(8L);
    assertThat(condition(a2, Api.APPLIED).getStatus()).isEqualTo("True");

    // Resyncs of the reported generation say nothing more: four writes in all, in this order.
    long passes = routing.count("reconcile");
    await().atMost(WAIT).until(() -> routing.count("reconcile") >= passes + 3);
    assertThat(agent.statusWrites()).isEqualTo(4);
    await().atMost(WAIT).until(() -> seen.size() >= 4);
    assertThat(seen).containsExactly("Pending@" + g1, "Applied@" + g1, "Pending@" + g2, "Applied@" + g2);
  }

  @Test
  void resyncsAndDriftThatChangeNothingSendNoRequestToTheApiServer() throws Exception {
    create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    start();
    awaitStatus(c -> AgentResult.APPLIED == c.getStatus().getResult());
    // Let the first NO_CHANGE pass settle lastApply etc., then count.
    await().atMost(WAIT).until(() -> routing.count("reconcile") >= 3);
    long writes = agent.statusWrites();
    int requests = completedRequests();
    long passes = routing.count("reconcile");

    events.drift();
    await().atMost(WAIT).until(() -> routing.count("reconcile") >= passes + 5); // drift + resyncs every 200 ms

    assertThat(agent.statusWrites()).isEqualTo(writes);
    assertThat(completedRequests()).as("the agent's completed requests, in the server's audit log").isEqualTo(requests);
  }

  @Test
  void statusWritesArePatchesOfTheStatusSubresourceOnlyWithNoGetBefore() throws Exception {
    create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    start();
    awaitStatus(c -> AgentResult.APPLIED == c.getStatus().getResult());
    agent.close();
    agent = null;
    List<io.eniroute.lab.kube.AuditLog.Call> calls = api.agentCalls();
    // besides Events about the node (their own resource), every write is a status patch
    assertThat(calls.stream().filter(io.eniroute.lab.kube.AuditLog.Call::isWrite).filter(c -> !c.resource().equals("events")))
        .as("the agent's writes").isNotEmpty()
        .allSatisfy(c -> {
          assertThat(c.verb()).isEqualTo("patch");
          assertThat(c.fullResource()).isEqualTo("nodenetworkconfigs/status");
          assertThat(c.name()).isEqualTo(NODE);
          assertThat(c.code()).isEqualTo(200);
        });
    // A status write is one request: the agent never GETs the object before a patch (the watch has it).
    assertThat(calls).as("the agent's GETs of its NodeNetworkConfig")
        .noneMatch(c -> c.verb().equals("get") && c.resource().equals("nodenetworkconfigs"));
  }

  /** The agent's requests that completed (a watch counts when it ends, so resyncs would show). */
  private int completedRequests() {
    return (int) api.agentCalls().stream().filter(c -> !c.verb().equals("watch")).count();
  }

  @Test
  void aRolledBackChangeIsReportedWithTheFailingProbeNamed() {
    routing.script = spec -> new ApplyReport(Outcome.ROLLED_BACK, 14, 10_050, FakeRouting.IFACES, 3, 2,
        List.of(new ProbeResult("gateway:eth1:10.0.0.21", false, true, "gateway:eth1:10.0.0.21: no reply from 10.0.0.99 within 10 s", 10_000L)),
        "ProbeFailed", "rolled back to the last committed config because gateway:eth1:10.0.0.21: no reply from 10.0.0.99 within 10 s");
    NodeNetworkConfig c = create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    start();

    NodeNetworkConfigStatus s = awaitStatus(x -> AgentResult.ROLLED_BACK == x.getStatus().getResult());

    assertThat(condition(s, Api.ROLLED_BACK).getStatus()).isEqualTo("True");
    assertThat(condition(s, Api.ROLLED_BACK).getReason()).isEqualTo("ProbeFailed");
    assertThat(condition(s, Api.ROLLED_BACK).getMessage()).contains("gateway:eth1:10.0.0.21");
    assertThat(condition(s, Api.ROLLED_BACK).getObservedGeneration()).isEqualTo(c.getMetadata().getGeneration());
    assertThat(condition(s, Api.APPLIED).getStatus()).isEqualTo("False");
    assertThat(condition(s, Api.STALLED).getStatus()).as("kstatus: a rolled-back node needs a person").isEqualTo("True");
    assertThat(condition(s, Api.READY).getStatus()).isEqualTo("False");
    assertThat(s.getAppliedPolicyGeneration()).as("generation 7 never applied").isNull();
    assertThat(s.getProbes()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("gateway:eth1:10.0.0.21");
      assertThat(p.getPassed()).isFalse();
      assertThat(p.getPassedBefore()).isTrue();
    });
    assertThat(s.getLastApply().getOutcome()).isEqualTo("RolledBack");
  }

  private List<io.fabric8.kubernetes.api.model.Event> eventsAbout(String reason) {
    return api.client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).toList();
  }

  @Test
  void aRepeatedRollbackIsOneWarningEventOnTheConfigNamingTheProbeWithACount() {
    routing.script = spec -> new ApplyReport(Outcome.ROLLED_BACK, 14, 10_050, FakeRouting.IFACES, 3, 2,
        List.of(new ProbeResult("gateway:eth1:10.0.0.21", false, true, "no reply", 10_000L)),
        "ProbeFailed", "rolled back to the last committed config because gateway:eth1:10.0.0.21: no reply from 10.0.0.99 within 10 s");
    NodeNetworkConfig c = create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    start();

    // every resync repeats the verdict: the Event's count grows, no second Event appears
    await().atMost(WAIT).until(() -> eventsAbout("RolledBack"), l -> l.size() == 1 && l.get(0).getCount() >= 3);
    agent.flushEvents();
    assertThat(eventsAbout("RolledBack")).singleElement().satisfies(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).startsWith("policy generation 7 was rolled back").contains("gateway:eth1:10.0.0.21");
      assertThat(e.getInvolvedObject().getKind()).isEqualTo("NodeNetworkConfig");
      assertThat(e.getInvolvedObject().getName()).isEqualTo(NODE);
      assertThat(e.getInvolvedObject().getUid()).isEqualTo(c.getMetadata().getUid());
      assertThat(e.getSource().getComponent()).isEqualTo("eniroute-agent");
      assertThat(e.getSource().getHost()).isEqualTo(NODE);
    });
  }

  @Test
  void aNewGenerationAppliedIsOneNormalEventAndResyncsAddNone() {
    create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    start();
    awaitStatus(c -> AgentResult.APPLIED == c.getStatus().getResult());
    await().atMost(WAIT).until(() -> routing.count("reconcile") >= 4); // resyncs with no change
    agent.flushEvents();

    assertThat(eventsAbout("Applied")).singleElement().satisfies(e -> {
      assertThat(e.getType()).isEqualTo("Normal");
      assertThat(e.getMessage()).startsWith("policy generation 7 applied and verified");
      assertThat(e.getCount()).isEqualTo(1);
    });
    editSpec(spec -> spec.setPolicyGeneration(8L));
    await().atMost(WAIT).until(() -> eventsAbout("Applied"), l -> l.size() == 2);
  }

  @Test
  void aForeignConflictIsAConflictWarningEvent() {
    routing.script = spec -> new ApplyReport(Outcome.FAILED, 0, 4, List.of(), 0, 0, List.of(), "ForeignConflict",
        "table 10001 holds a route eniroute does not own (proto static); remove it or change routing.tableBase");
    create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    start();

    await().atMost(WAIT).until(() -> eventsAbout("Conflict"), l -> l.size() == 1);
    assertThat(eventsAbout("Conflict").get(0).getMessage()).contains("routing.tableBase");
    assertThat(eventsAbout("Failed")).isEmpty();
  }

  @Test
  void aFailedApplyIsReportedDegradedWithTheEnginesReason() {
    routing.script = spec -> new ApplyReport(Outcome.FAILED, 0, 4, List.of(), 0, 0, List.of(), "ForeignConflict",
        "table 10001 holds a route eniroute does not own (proto static); remove it or change routing.tableBase");
    create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    start();

    NodeNetworkConfigStatus s = awaitStatus(x -> AgentResult.DEGRADED == x.getStatus().getResult());

    assertThat(condition(s, Api.DEGRADED).getStatus()).isEqualTo("True");
    assertThat(condition(s, Api.DEGRADED).getReason()).isEqualTo("ForeignConflict");
    assertThat(condition(s, Api.DEGRADED).getMessage()).contains("routing.tableBase");
  }

  @Test
  void aNewRetryTokenHandsTheRolledBackSpecToTheRoutingAgainAndReportsTheNewGeneration() {
    routing.script = spec -> new ApplyReport(Outcome.ROLLED_BACK, 14, 10_050, FakeRouting.IFACES, 3, 2, List.of(),
        "ProbeFailed", "rolled back: gateway unreachable");
    create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    start();
    awaitStatus(c -> AgentResult.ROLLED_BACK == c.getStatus().getResult());

    routing.script = null; // the cause is fixed outside eniroute
    NodeNetworkConfig retried = editSpec(s -> s.setRetryToken("after-fix"));

    NodeNetworkConfigStatus s = awaitStatus(c -> AgentResult.APPLIED == c.getStatus().getResult());
    assertThat(s.getObservedGeneration()).isEqualTo(retried.getMetadata().getGeneration());
    assertThat(routing.reconciled).as("the retry reached the routing layer as its own spec")
        .anySatisfy(spec -> assertThat(spec.getRetryToken()).isEqualTo("after-fix"));
    assertThat(condition(s, Api.READY).getStatus()).isEqualTo("True");
    assertThat(condition(s, Api.STALLED).getStatus()).isEqualTo("False");
  }

  @Test
  void stateAbsentRevertsAndReportsReverted() {
    create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    start();
    awaitStatus(c -> AgentResult.APPLIED == c.getStatus().getResult());

    NodeNetworkConfig absent = editSpec(s -> s.setState(ConfigState.ABSENT));

    NodeNetworkConfigStatus s = awaitStatus(c -> AgentResult.REVERTED == c.getStatus().getResult());
    assertThat(s.getObservedGeneration()).isEqualTo(absent.getMetadata().getGeneration());
    assertThat(condition(s, Api.APPLIED).getStatus()).isEqualTo("False");
    assertThat(condition(s, Api.APPLIED).getReason()).isEqualTo("Reverted");
    assertThat(s.getOwnedRules()).isZero();
    assertThat(s.getInterfaces()).isEmpty();
    assertThat(s.getConditions()).extracting(Condition::getType)
        .containsExactly(Api.READY, Api.RECONCILING, Api.STALLED, Api.APPLIED, Api.DEGRADED, Api.ROLLED_BACK);
    assertThat(condition(s, Api.READY).getStatus()).as("kstatus: reverted is what an absent spec asks for").isEqualTo("True");
    assertThat(condition(s, Api.RECONCILING).getStatus()).isEqualTo("False");
    assertThat(routing.count("revert")).isPositive();
    // The revert is the operator's request, not a change: it never reaches reconcile as a spec.
    assertThat(routing.reconciled).allSatisfy(spec -> assertThat(spec.getState()).isEqualTo(ConfigState.PRESENT));
  }

  @Test
  void deletingTheConfigRevertsTheNode() {
    create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    start();
    awaitStatus(c -> AgentResult.APPLIED == c.getStatus().getResult());

    api.client.resources(NodeNetworkConfig.class).withName(NODE).delete();

    await().atMost(WAIT).until(() -> routing.count("revert") > 0);
  }

  @Test
  void imdsNumberingIsMergedIntoTheSpecTheRoutingGets() {
    Discovery d = new Discovery("i-1", "eu-west-1", "02:aa:00:00:00:01",
        List.of(new ImdsInterface("02:aa:00:00:00:01", "eni-a", 0, 0, List.of("10.0.0.10"), "10.0.0.0/24"),
            new ImdsInterface("02:aa:00:00:00:02", "eni-b", 1, 0, List.of("10.0.0.20"), "10.0.0.0/24")),
        List.of(), null);
    create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    // eth0 (…:01) is on the host; …:03 is listed by IMDS but not (yet) in the kernel: no entry for it.
    Discovery withAttaching = new Discovery(d.instanceId(), d.region(), d.primaryMac(),
        java.util.stream.Stream.concat(d.interfaces().stream(),
            java.util.stream.Stream.of(new ImdsInterface("02:aa:00:00:00:03", "eni-c", 2, 0, List.of(), "10.0.0.0/24"))).toList(),
        List.of(), null);
    createNode("aws:///eu-west-1a/i-1"); // the same instance as IMDS describes
    start(api.agentClient(NODE), Optional.empty(), lookup -> new ImdsHints(() -> withAttaching, Duration.ofSeconds(30), System::nanoTime,
        () -> java.util.Set.of("02:aa:00:00:00:01", "02:aa:00:00:00:02"), lookup::instanceId));

    await().atMost(WAIT).until(() -> !routing.reconciled.isEmpty());
    NodeNetworkConfigSpec got = routing.reconciled.get(0);
    assertThat(got.getAddresses()).extracting(a -> a.getMac()).containsExactly("02:aa:00:00:00:02", "02:aa:00:00:00:01");
    assertThat(got.getAddresses().get(0).getMac()).isEqualTo("02:aa:00:00:00:02");
    assertThat(got.getAddresses().get(0).getDeviceIndex()).isEqualTo(1);
    assertThat(got.getAddresses().get(0).getAddresses()).containsExactly("10.0.0.20");
    assertThat(got.getAddresses().get(1).getDeviceIndex()).isZero();
  }

  @Test
  void imdsDownAtStartThenBackIsAskedAgainAndDoesNotRenumberALiveInterface() {
    // eth1 (…:02) already has table 10001 (FakeRouting's kernel); IMDS, once back, calls it device 2.
    Discovery up = new Discovery("i-1", "eu-west-1", "02:aa:00:00:00:01",
        List.of(new ImdsInterface("02:aa:00:00:00:01", "eni-a", 0, 0, List.of("10.0.0.10"), "10.0.0.0/24"),
            new ImdsInterface("02:aa:00:00:00:02", "eni-b", 2, 0, List.of("10.0.0.20"), "10.0.0.0/24")),
        List.of(), null);
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    java.util.function.Supplier<Discovery> imds = () -> asked.incrementAndGet() <= 2
        ? Discovery.none("IMDS unreachable: connect timed out") : up;
    create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    start(api.agentClient(NODE), Optional.empty(), lookup -> new ImdsHints(imds, Duration.ofMillis(50), System::nanoTime,
        () -> java.util.Set.of("02:aa:00:00:00:01", "02:aa:00:00:00:02")));

    await().atMost(WAIT).until(() -> routing.reconciled.stream().anyMatch(s -> s.getAddresses().stream()
        .anyMatch(a -> "eni-b".equals(a.getInterfaceId()))));

    assertThat(asked.get()).as("IMDS asked again after failing").isGreaterThanOrEqualTo(3);
    assertThat(routing.reconciled).allSatisfy(spec -> assertThat(spec.getAddresses())
        .filteredOn(a -> a.getMac().equals("02:aa:00:00:00:02"))
        .allSatisfy(a -> assertThat(a.getDeviceIndex()).as("eth1 keeps its live table's number").isEqualTo(1)));
  }

  @Test
  void imdsDescribingAnotherInstanceThanTheNodeObjectGivesNoHints() {
    // The Node says i-0abc; IMDS answers for i-1 (e.g. the host's metadata leaking through a proxy).
    createNode("aws:///eu-west-1a/i-0abc");
    create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    start(api.agentClient(NODE), Optional.empty(), ClusterAgentTest::imdsOnInstance1);

    NodeNetworkConfigStatus s = awaitStatus(c -> AgentResult.APPLIED == c.getStatus().getResult());

    assertThat(s.getAppliedPolicyGeneration()).isEqualTo(7L);
    assertThat(condition(s, Api.APPLIED).getMessage())
        .contains("on instance i-0abc in eu-west-1 (zone eu-west-1a) (IMDS describes i-1: its numbering is not used)");
    assertThat(routing.reconciled).isNotEmpty().allSatisfy(spec -> assertThat(spec.getAddresses()).singleElement()
        .satisfies(a -> {
          assertThat(a.getMac()).isEqualTo("02:aa:00:00:00:02");
          // eth1 already has table 10001 (FakeRouting's kernel): LiveNumbering keeps that number.
          assertThat(a.getDeviceIndex()).as("numbered by its live table, not by IMDS").isEqualTo(1);
          assertThat(a.getInterfaceId()).as("nothing from an IMDS that describes another instance").isNull();
        }));
  }

  @Test
  void withoutANodeObjectImdsAloneNumbersTheInterfaces() {
    create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    start(api.agentClient(NODE), Optional.empty(), ClusterAgentTest::imdsOnInstance1);

    NodeNetworkConfigStatus s = awaitStatus(c -> AgentResult.APPLIED == c.getStatus().getResult());

    assertThat(condition(s, Api.APPLIED).getMessage()).startsWith("policy generation 7 applied on instance i-1 in eu-west-1: ");
    assertThat(routing.reconciled.get(0).getAddresses()).extracting(a -> a.getMac() + "=" + a.getDeviceIndex())
        .containsExactly("02:aa:00:00:00:02=1", "02:aa:00:00:00:01=0");
  }

  @Test
  void anUnreachableApiServerNeverRevertsAndTheJournalsConfigKeepsBeingHealed() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    NodeNetworkConfigSpec journal = ClusterApi.config(NODE, 5, "10.0.0.20").getSpec();
    try (KubernetesClient down = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("http://127.0.0.1:" + closed).withRequestRetryBackoffLimit(0).build()).build()) {
      start(down, Optional.of(journal), lookup -> ImdsHints.disabled());
      await().atMost(WAIT).until(() -> routing.count("reconcile") >= 3);
      events.drift();
      await().atMost(WAIT).until(() -> routing.count("reconcile") >= 5);

      assertThat(routing.count("revert")).isZero();
      assertThat(routing.reconciled).allSatisfy(s -> assertThat(s.getPolicyGeneration()).isEqualTo(5L));
      assertThat(agent.health().live()).isTrue();
      agent.close();
      agent = null;
    }
  }

  @Test
  void losingTheApiServerAfterStartKeepsTheLastConfigAndReportsAgainWhenItIsBack() {
    create(ClusterApi.config(NODE, 7, "10.0.0.20"));
    try (io.eniroute.lab.kube.TcpProxy proxy = io.eniroute.lab.kube.TcpProxy.to(api.plane.url());
        KubernetesClient viaProxy = api.agentClientVia(NODE, proxy.url())) {
      start(viaProxy, Optional.empty(), lookup -> ImdsHints.disabled());
      awaitStatus(c -> AgentResult.APPLIED == c.getStatus().getResult());

      proxy.cut();
      long passes = routing.count("reconcile");
      events.drift();
      await().atMost(WAIT).until(() -> routing.count("reconcile") >= passes + 3);

      assertThat(routing.count("revert")).isZero();
      assertThat(routing.reconciled).allSatisfy(s -> assertThat(s.getPolicyGeneration()).isEqualTo(7L));

      proxy.restore();
      editSpec(s -> s.setPolicyGeneration(8L));
      awaitStatus(c -> Long.valueOf(8).equals(c.getStatus().getAppliedPolicyGeneration()));
      agent.close();
      agent = null;
    }
  }
}
