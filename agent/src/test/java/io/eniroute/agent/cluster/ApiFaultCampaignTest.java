package io.eniroute.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.agent.drift.ReconcileLoop;
import io.eniroute.agent.imds.ImdsHints;
import io.eniroute.agent.observability.AgentMetrics;
import io.eniroute.crds.v1alpha1.AgentResult;
import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.lab.CampaignTally;
import io.eniroute.lab.kube.ApiFault;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.EnirouteInstall;
import io.eniroute.lab.kube.FaultyApiProxy;
import io.eniroute.lab.kube.RealApiServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent against the real kube-apiserver through {@link FaultyApiProxy}: for every call the
 * agent makes (list and watch of its NodeNetworkConfig, the status patch, the Event create, the
 * Node get) and every fault that call can meet (409, 410, 500, 500 after the server did the work,
 * slow; a create meets a real 409 AlreadyExists when it retries after a 500 that came after the
 * commit), a fresh
 * agent starts with the fault in force and must end converged: status Applied for the config's
 * generation, naming the node's instance; exactly one Applied Event (none lost, none doubled);
 * nothing on the node but that spec (no revert, no other spec). The client has fabric8's own
 * retries off, so the agent's own mechanisms are what recover.
 */
@ExtendWith(RealApiServer.class)
class ApiFaultCampaignTest {
  private static final String NODE = "node-a";
  private static final String CONFIGS = "/apis/eniroute.io/v1alpha1/nodenetworkconfigs";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration SLOW = Duration.ofMillis(1500);
  private static final String LEAKED = "leaked";
  private static final String UNCLEAR = "unclear status";
  private static final String EVENTS = "with a lost or doubled Event";
  private static final ReconcileLoop.Timing FAST = new ReconcileLoop.Timing(Duration.ofMillis(300),
      Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(200));

  private final ClusterApi api;
  private final CampaignTally tally = new CampaignTally("agent API fault campaign",
      LEAKED, UNCLEAR, EVENTS);

  ApiFaultCampaignTest(ControlPlane plane) {
    this.api = new ClusterApi(plane);
  }

  static List<ApiFault> faults() {
    return List.of(
        ApiFault.on("GET", CONFIGS).watch(false).serverError(2),
        ApiFault.on("GET", CONFIGS).watch(false).gone(1),
        ApiFault.on("GET", CONFIGS).watch(false).slow(1, SLOW),
        ApiFault.on("GET", CONFIGS).watch(true).gone(1),
        ApiFault.on("GET", CONFIGS).watch(true).serverError(2),
        ApiFault.on("GET", CONFIGS).watch(true).slow(1, SLOW),
        ApiFault.on("PATCH", CONFIGS + "/" + NODE + "/status").conflict(1),
        ApiFault.on("PATCH", CONFIGS + "/" + NODE + "/status").serverError(2),
        ApiFault.on("PATCH", CONFIGS + "/" + NODE + "/status").serverErrorAfterCommit(1),
        ApiFault.on("PATCH", CONFIGS + "/" + NODE + "/status").slow(2, SLOW),
        ApiFault.on("POST", "/api/v1/namespaces/default/events").serverError(1),
        ApiFault.on("POST", "/api/v1/namespaces/default/events").serverErrorAfterCommit(1),
        ApiFault.on("POST", "/api/v1/namespaces/default/events").slow(1, SLOW),
        ApiFault.on("GET", "/api/v1/nodes/" + NODE).serverError(1),
        ApiFault.on("GET", "/api/v1/nodes/" + NODE).slow(1, SLOW));
  }

  @Test
  void everyFaultOnEveryAgentCallEndsAppliedWithOneEventAndNothingLeaked() {
    try {
      for (ApiFault fault : faults()) {
        point(fault);
      }
    } finally {
      api.close();
    }
    tally.report(faults().size());
  }

  private void point(ApiFault fault) {
    tally.tried();
    EnirouteInstall.reset(api.client);
    api.client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE)
        .addToLabels(NodeIdentity.REGION_LABEL, "eu-west-1").endMetadata()
        .withNewSpec().withProviderID("aws:///eu-west-1a/i-0abc").endSpec().build()).create();
    api.client.resources(NodeNetworkConfig.class).resource(ClusterApi.config(NODE, 7, "10.0.0.20")).create();
    FakeRouting routing = new FakeRouting();
    try (FaultyApiProxy front = FaultyApiProxy.in(api.plane);
        KubernetesClient client = api.agentClientVia(NODE, front)) {
      FaultyApiProxy.Injected injected = front.inject(fault);
      NodeLookup lookup = new NodeLookup(client, NODE, Duration.ofSeconds(5));
      ClusterAgent agent = new ClusterAgent(client, NODE, routing, Optional::empty, ImdsHints.disabled(), lookup,
          new FakeEvents(), FAST, new AgentMetrics(Clock.systemUTC()), Clock.systemUTC());
      try {
        agent.start();
        boolean applied = awaitApplied();
        agent.flushEvents();
        check(fault, injected, applied, routing);
      } finally {
        agent.close();
      }
    }
  }

  private boolean awaitApplied() {
    try {
      await().atMost(WAIT).until(() -> api.get(NODE), c -> c.getStatus() != null && c.getStatus().getResult() == AgentResult.APPLIED
          && Long.valueOf(7).equals(c.getStatus().getAppliedPolicyGeneration())
          && c.getStatus().getConditions().stream().anyMatch(x -> Api.APPLIED.equals(x.getType())
              && x.getMessage() != null && x.getMessage().contains("on instance i-0abc")));
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  private void check(ApiFault fault, FaultyApiProxy.Injected injected, boolean applied, FakeRouting routing) {
    NodeNetworkConfig c = api.get(NODE);
    if (injected.hits() == 0) {
      tally.invalid(fault, "never struck (the agent made no such call)");
      return;
    }
    if (applied) {
      tally.converged();
    } else {
      tally.notConverged(fault, "not Applied naming instance i-0abc within " + WAIT.toSeconds() + " s; status " + c.getStatus());
    }
    boolean otherSpec = routing.reconciled.stream().anyMatch(s -> s.getPolicyGeneration() != 7L);
    if (routing.count("revert") > 0 || otherSpec) {
      tally.missed(LEAKED, fault, "the node got something else than generation 7 (reverts " + routing.count("revert") + ")");
    }
    if (c.getStatus() == null || c.getStatus().getConditions().stream().noneMatch(x -> Api.APPLIED.equals(x.getType())
        && x.getReason() != null && x.getMessage() != null && !x.getMessage().isBlank())) {
      tally.missed(UNCLEAR, fault, "no Applied condition with a reason and a message: " + c.getStatus());
    }
    List<Event> appliedEvents = api.client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "Applied".equals(e.getReason()) && NODE.equals(e.getInvolvedObject().getName())).toList();
    int count = appliedEvents.stream().mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).sum();
    if (count != 1) {
      tally.missed(EVENTS, fault, count + " Applied Event(s), want exactly one");
    }
  }
}
