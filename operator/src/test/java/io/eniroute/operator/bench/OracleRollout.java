package io.eniroute.operator.bench;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.operator.rollout.AgentReport;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * The same-run baseline: the same canary + rolling waves done by the simplest possible driver
 * (a semaphore of maxUnavailable permits, released when the agent reports Applied), writing the
 * same objects to the same mock server with the same simulated agents. It has no reconcile loop,
 * no status, no informer cache of nodes: what is left is the cost of the API server and agents
 * on this machine, which the operator cannot beat.
 */
final class OracleRollout {
  private OracleRollout() {}

  /**
   * Rolls {@code generation} out: generation 1 creates the configs, a later one patches their
   * spec (as the operator does for a policy edit).
   */
  static double run(KubernetesClient client, List<String> nodes, int maxUnavailable, long generation)
      throws InterruptedException {
    Semaphore slots = new Semaphore(0);
    CountDownLatch all = new CountDownLatch(nodes.size());
    Set<String> done = ConcurrentHashMap.newKeySet();
    SharedIndexInformer<NodeNetworkConfig> informer = client.resources(NodeNetworkConfig.class)
        .withLabel(Api.POLICY_LABEL, "oracle").inform(new ResourceEventHandler<>() {
          @Override public void onAdd(NodeNetworkConfig c) { check(c); }
          @Override public void onUpdate(NodeNetworkConfig before, NodeNetworkConfig c) { check(c); }
          @Override public void onDelete(NodeNetworkConfig c, boolean unknown) {}

          private void check(NodeNetworkConfig c) {
            if (AgentReport.applied(c) && c.getSpec().getPolicyGeneration() == generation
                && done.add(c.getMetadata().getName())) {
              slots.release();
              all.countDown();
            }
          }
        });
    try {
      long start = System.nanoTime();
      hand(client, nodes.get(0), generation);
      slots.acquire(); // the canary applied
      slots.release(maxUnavailable);
      for (String node : nodes.subList(1, nodes.size())) {
        slots.acquire();
        hand(client, node, generation);
      }
      all.await();
      return (System.nanoTime() - start) / 1e9;
    } finally {
      informer.close();
    }
  }

  private static void hand(KubernetesClient client, String node, long generation) {
    if (generation > 1) {
      NodeNetworkConfig named = new NodeNetworkConfig(); // resource(item): no GET before the patch
      named.setMetadata(new ObjectMetaBuilder().withName(node).build());
      client.resources(NodeNetworkConfig.class).resource(named).patch(PatchContext.of(PatchType.JSON),
          "[{\"op\":\"replace\",\"path\":\"/spec/policyGeneration\",\"value\":" + generation + "}]");
      return;
    }
    NodeNetworkConfig c = new NodeNetworkConfig();
    c.setMetadata(new ObjectMetaBuilder().withName(node).withLabels(Map.of(Api.POLICY_LABEL, "oracle")).build());
    NodeNetworkConfigSpec spec = new NodeNetworkConfigSpec();
    spec.setPolicy("oracle");
    spec.setPolicyGeneration(1L);
    c.setSpec(spec);
    client.resource(c).create();
  }
}
