package io.eniroute.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.PolicyPhase;
import io.eniroute.operator.runtime.OperatorRuntime;
import io.eniroute.operator.testing.MockCluster;
import io.eniroute.operator.testing.SimulatedAgents;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two replicas with leader election: one holds the Lease and rolls out; when it stops the other takes over. */
class LeaderElectionTest {
  static final Map<String, String> WORKERS = Map.of("role", "worker");

  @Test
  void onlyTheLeaseHolderReconcilesAndTheOtherTakesOver() {
    try (MockCluster cluster = new MockCluster();
        SimulatedAgents agents = new SimulatedAgents(cluster.newClient(), Duration.ofMillis(300), 2).start()) {
      cluster.allowLeases();
      for (int i = 1; i <= 4; i++) {
        cluster.createNode("node-" + i, WORKERS);
      }
      KubernetesClient ca = cluster.operatorClient();
      KubernetesClient cb = cluster.operatorClient();
      OperatorRuntime a = replica(ca, "replica-a");
      a.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> holder(cluster).equals("replica-a"));
      OperatorRuntime b = replica(cb, "replica-b");
      b.start();
      try {
        cluster.client().resource(MockCluster.policy("workers", WORKERS, 1, 0, 60)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> configs(cluster) >= 2);
        assertThat(holder(cluster)).isEqualTo("replica-a");
        a.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> holder(cluster).equals("replica-b"));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          NodeNetworkPolicy p = cluster.client().resources(NodeNetworkPolicy.class).withName("workers").get();
          return p.getStatus() != null && p.getStatus().getReadyNodes() == 4 && p.getStatus().getPhase() == PolicyPhase.COMPLETE;
        });
      } finally {
        b.close();
        ca.close();
        cb.close();
      }
    }
  }

  static OperatorRuntime replica(KubernetesClient client, String identity) {
    PolicyReconciler reconciler = new PolicyReconciler(Clock.systemUTC(), Optional.empty(),
        new KubernetesEventRecorder(client, Clock.systemUTC(), "default"), new RolloutMetrics(new SimpleMeterRegistry()));
    return new OperatorRuntime(client, reconciler,
        new OperatorRuntime.Options("eniroute-operator", "default", identity, Duration.ofSeconds(3), false, 2));
  }

  static String holder(MockCluster cluster) {
    Lease lease = cluster.client().leases().inNamespace("default").withName("eniroute-operator").get();
    return lease == null || lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
  }

  static int configs(MockCluster cluster) {
    return cluster.client().resources(NodeNetworkConfig.class).list().getItems().size();
  }
}
