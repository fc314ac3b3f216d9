package io.eniroute.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.crds.v1alpha1.AgentResult;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.PolicyPhase;
import io.eniroute.crds.v1alpha1.Reasons;
import io.eniroute.lab.CampaignTally;
import io.eniroute.lab.kube.ApiFault;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.EnirouteInstall;
import io.eniroute.lab.kube.FaultyApiProxy;
import io.eniroute.lab.kube.RealApiServer;
import io.eniroute.operator.testing.RunningOperator;
import io.eniroute.operator.testing.SimulatedAgents;
import io.eniroute.operator.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator against the real kube-apiserver through {@link FaultyApiProxy}: for each call it
 * makes (list and watch of policies, configs and nodes; the config create, the retire patch and
 * the delete; the policy status patch; the finalizer patches; the Event create) and each fault
 * it can meet, a fresh operator (its ServiceAccount, fabric8's own retries off, the JDK HTTP
 * client) rolls a policy
 * out to two nodes with simulated agents, and the policy is then deleted. Every point must end
 * Complete with both nodes Applied at the policy's generation, then, after the delete, no
 * NodeNetworkConfig left and the policy gone (its finalizer removed); RolloutStarted and
 * RolloutComplete each recorded once. A 500 on the first list of policies makes the operator stop
 * at start (stopOnInformerErrorDuringStartup); the test starts another, as the pod's restart would.
 */
@ExtendWith(RealApiServer.class)
class ApiFaultCampaignTest {
  private static final Map<String, String> WORKERS = Map.of("role", "worker");
  private static final String EN = "/apis/eniroute.io/v1alpha1/";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration SLOW = Duration.ofMillis(1500);

  private final TestCluster cluster;
  private static final String LEAKED = "leaked";
  private static final String UNCLEAR = "unclear status";
  private final CampaignTally tally = new CampaignTally("operator API fault campaign", LEAKED, UNCLEAR);
  private int restarts;

  ApiFaultCampaignTest(ControlPlane plane) {
    this.cluster = new TestCluster(plane);
  }

  static List<ApiFault> faults() {
    return List.of(
        ApiFault.on("GET", EN + "nodenetworkpolicies").watch(false).serverError(1),
        ApiFault.on("GET", EN + "nodenetworkpolicies").watch(true).gone(1),
        ApiFault.on("GET", EN + "nodenetworkconfigs").watch(true).gone(1),
        ApiFault.on("GET", "/api/v1/nodes").watch(true).gone(1),
        ApiFault.on("GET", "/api/v1/nodes").watch(false).slow(1, SLOW),
        ApiFault.on("GET", EN + "nodenetworkconfigs").watch(false).slow(1, SLOW),
        ApiFault.on("POST", EN + "nodenetworkconfigs").serverError(1),
        ApiFault.on("POST", EN + "nodenetworkconfigs").serverErrorAfterCommit(1),
        ApiFault.on("POST", EN + "nodenetworkconfigs").slow(2, SLOW),
        ApiFault.on("PATCH", EN + "nodenetworkconfigs/node-[0-9]+").serverError(1),
        ApiFault.on("DELETE", EN + "nodenetworkconfigs/node-[0-9]+").serverError(1),
        ApiFault.on("PATCH", EN + "nodenetworkpolicies/web/status").conflict(1),
        ApiFault.on("PATCH", EN + "nodenetworkpolicies/web/status").serverError(2),
        ApiFault.on("PATCH", EN + "nodenetworkpolicies/web").conflict(1),
        ApiFault.on("PATCH", EN + "nodenetworkpolicies/web").serverError(1),
        ApiFault.on("POST", "/api/v1/namespaces/default/events").serverError(1));
  }

  @Test
  void everyFaultOnEveryOperatorCallEndsCompleteThenCleanAfterDelete() {
    try (SimulatedAgents agents = new SimulatedAgents(cluster.newClient(), Duration.ofMillis(100), 2).start()) {
      for (ApiFault fault : faults()) {
        point(fault);
      }
    } finally {
      cluster.close();
    }
    System.out.println("operator restarts after a failed start: " + restarts);
    tally.report(faults().size());
  }

  private void point(ApiFault fault) {
    tally.tried();
    EnirouteInstall.reset(cluster.client());
    cluster.createNode("node-1", WORKERS);
    cluster.createNode("node-2", WORKERS);
    try (FaultyApiProxy front = FaultyApiProxy.in(cluster.plane())) {
      FaultyApiProxy.Injected injected = front.inject(fault);
      RunningOperator operator = start(front);
      try {
        cluster.client().resource(TestCluster.policy("web", WORKERS, 2, 0, 60)).create();
        boolean complete = await(() -> {
          NodeNetworkPolicy p = policy();
          return p != null && p.getStatus() != null && p.getStatus().getPhase() == PolicyPhase.COMPLETE
              && p.getMetadata().getGeneration().equals(p.getStatus().getObservedGeneration())
              && configs().size() == 2 && configs().stream().allMatch(c -> c.getStatus() != null
                  && c.getStatus().getResult() == AgentResult.APPLIED && Long.valueOf(1).equals(c.getStatus().getAppliedPolicyGeneration()));
        });
        boolean clearStatus = complete && policy().getStatus().getConditions().stream()
            .allMatch(c -> c.getReason() != null && !c.getReason().isBlank() && c.getMessage() != null);
        // the Event follows the status write that made the policy Complete: wait for it, then count
        await(() -> events(Reasons.ROLLOUT_STARTED) >= 1 && events(Reasons.ROLLOUT_COMPLETE) >= 1);
        long started = events(Reasons.ROLLOUT_STARTED);
        long completed = events(Reasons.ROLLOUT_COMPLETE);
        cluster.client().resources(NodeNetworkPolicy.class).withName("web").delete();
        boolean clean = await(() -> policy() == null && configs().isEmpty());
        if (injected.hits() == 0) {
          tally.invalid(fault, "never struck (the operator made no such call)");
          return;
        }
        if (complete) {
          tally.converged();
        } else {
          tally.notConverged(fault, "not Complete with both nodes Applied within " + WAIT.toSeconds() + " s: "
              + (policy() == null ? "no policy" : policy().getStatus()));
        }
        if (!clean) {
          tally.missed(LEAKED, fault, "after the delete: policy " + (policy() == null ? "gone" : "left with finalizers "
              + policy().getMetadata().getFinalizers()) + ", configs left " + configs().stream().map(c -> c.getMetadata().getName()).toList());
        }
        if (complete && (!clearStatus || started != 1 || completed != 1)) {
          tally.missed(UNCLEAR, fault, "conditions without reason/message or Events RolloutStarted x" + started
              + ", RolloutComplete x" + completed + " (want one each)");
        }
      } finally {
        operator.close();
      }
    }
  }

  /** The operator on a client through the front; restarted when it stops at start, as its pod would be. */
  private RunningOperator start(FaultyApiProxy front) {
    for (int attempt = 1; ; attempt++) {
      var config = front.configFor(cluster.identities().operatorConfig());
      config.setRequestRetryBackoffLimit(0); // fabric8's own retries off: the operator's recovery is tested
      KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
      try {
        return new RunningOperator(client, Optional.empty());
      } catch (RuntimeException e) {
        client.close();
        if (attempt == 3) {
          throw e;
        }
        restarts++;
      }
    }
  }

  private static boolean await(java.util.concurrent.Callable<Boolean> condition) {
    try {
      org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(condition);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  private NodeNetworkPolicy policy() {
    return cluster.client().resources(NodeNetworkPolicy.class).withName("web").get();
  }

  private List<NodeNetworkConfig> configs() {
    return cluster.client().resources(NodeNetworkConfig.class).list().getItems();
  }

  private long events(String reason) {
    return cluster.client().v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()) && "web".equals(e.getInvolvedObject().getName())).count();
  }
}
