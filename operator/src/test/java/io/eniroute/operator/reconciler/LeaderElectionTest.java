package io.eniroute.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.lab.kube.AuditLog;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.RealApiServer;
import io.eniroute.crds.v1alpha1.PolicyPhase;
import io.eniroute.operator.runtime.OperatorRuntime;
import io.eniroute.operator.testing.SimulatedAgents;
import io.eniroute.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two replicas with leader election through a real Lease in the release namespace, both as the
 * operator's ServiceAccount: the holder rolls out, the standby writes nothing but its Lease
 * attempts (the server's audit log shows it), and when the holder stops the standby takes over.
 */
@ExtendWith(RealApiServer.class)
class LeaderElectionTest {
  static final Map<String, String> WORKERS = Map.of("role", "worker");

  @Test
  void onlyTheLeaseHolderWritesPoliciesAndConfigsAndTheStandbyTakesOverWhenItStops(ControlPlane plane) {
    try (TestCluster cluster = new TestCluster(plane);
        SimulatedAgents agents = new SimulatedAgents(cluster.newClient(), Duration.ofMillis(300), 2).start()) {
      for (int i = 1; i <= 4; i++) {
        cluster.createNode("node-" + i, WORKERS);
      }
      KubernetesClient ca = cluster.operatorClient("replica-a");
      KubernetesClient cb = cluster.operatorClient("replica-b");
      OperatorRuntime a = replica(ca, "replica-a");
      a.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> holder(cluster).equals("replica-a"));
      OperatorRuntime b = replica(cb, "replica-b");
      b.start();
      try {
        cluster.client().resource(TestCluster.policy("workers", WORKERS, 1, 0, 60)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> configs(cluster) >= 2);
        assertThat(holder(cluster)).isEqualTo("replica-a");
        assertThat(writesOtherThanLeases(cluster, "replica-b"))
            .as("the standby wrote nothing but Lease attempts while replica-a held the Lease").isEmpty();
        assertThat(writesOtherThanLeases(cluster, "replica-a")).as("the holder rolled out").isNotEmpty();
        assertThat(a.notReadyReason()).as("the holder's /readyz").isNull();
        assertThat(b.notReadyReason()).as("the standby's /readyz: a standby that is never Ready blocks"
            + " the Deployment's rolling update and helm --wait").isNull();
        a.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> holder(cluster).equals("replica-b"));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          NodeNetworkPolicy p = cluster.client().resources(NodeNetworkPolicy.class).withName("workers").get();
          return p.getStatus() != null && p.getStatus().getReadyNodes() == 4 && p.getStatus().getPhase() == PolicyPhase.COMPLETE;
        });
        assertThat(writesOtherThanLeases(cluster, "replica-b")).as("the new holder finished the rollout").isNotEmpty();
        assertThat(cluster.operatorCalls()).as("no call of either replica was refused by RBAC")
            .noneMatch(c -> c.code() == 403);
      } finally {
        b.close();
        ca.close();
        cb.close();
      }
    }
  }

  static OperatorRuntime replica(KubernetesClient client, String identity) {
    PolicyReconciler reconciler = new PolicyReconciler(Clock.systemUTC(), Optional.empty(),
        new KubernetesEventRecorder(client, Clock.systemUTC(), TestCluster.releaseNamespace()),
        new RolloutMetrics(new SimpleMeterRegistry()));
    return new OperatorRuntime(client, reconciler,
        new OperatorRuntime.Options("eniroute-operator", TestCluster.releaseNamespace(), identity, Duration.ofSeconds(3),
            false, true, 2));
  }

  static List<AuditLog.Call> writesOtherThanLeases(TestCluster cluster, String userAgent) {
    return cluster.operatorCalls().stream()
        // A SelfSubjectRulesReview (JOSDK checks its Lease permissions at start) is a question, not a write.
        .filter(c -> c.userAgent().startsWith(userAgent) && c.isWrite()
            && !List.of("leases", "selfsubjectrulesreviews").contains(c.resource()))
        .toList();
  }

  static String holder(TestCluster cluster) {
    Lease lease = cluster.client().leases().inNamespace(TestCluster.releaseNamespace()).withName("eniroute-operator").get();
    return lease == null || lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
  }

  static int configs(TestCluster cluster) {
    return cluster.client().resources(NodeNetworkConfig.class).list().getItems().size();
  }
}
