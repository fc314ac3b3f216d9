package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.operator.rollout.NodeOwnership;
import io.eniroute.operator.rollout.RolloutPlanner;
import io.eniroute.operator.rollout.Timestamps;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Step 2: one immutable view of the nodes, their configs and which policy owns each node. */
final class PolicyObserver {

  /** What one reconcile sees; every later step decides from this alone. */
  record Observation(Map<String, Node> nodes, Map<String, NodeNetworkConfig> configs, NodeOwnership ownership) {

    /** This policy's configs, whatever node they are on (or were: the node may be gone). */
    List<NodeNetworkConfig> configsOf(String policy) {
      return configs.values().stream().filter(c -> policy.equals(policyOf(c))).toList();
    }

    /**
     * The nodes the policy owns, as the planner needs them; {@code waiting} gets those whose
     * config is another policy's (it is being reverted), {@code handMade} those whose config no
     * policy wrote: those are left out, never overwritten, until someone deletes the config.
     */
    List<RolloutPlanner.OwnedNode> owned(String policy, List<String> waiting, List<String> handMade) {
      List<RolloutPlanner.OwnedNode> out = new ArrayList<>();
      for (String node : ownership.ownedBy(policy)) {
        NodeNetworkConfig config = configs.get(node);
        if (config != null && policyOf(config) == null) {
          handMade.add(node);
          continue;
        }
        boolean ours = config != null && policy.equals(policyOf(config));
        if (config != null && !ours) {
          waiting.add(node);
        }
        out.add(new RolloutPlanner.OwnedNode(node, created(nodes.get(node)), ours ? config : null, config != null && !ours));
      }
      return out;
    }
  }

  private final ClusterCache cache;

  PolicyObserver(ClusterCache cache) {
    this.cache = cache;
  }

  Observation observe() {
    Map<String, Node> nodes = new HashMap<>();
    cache.nodes().forEach(n -> nodes.put(n.getMetadata().getName(), n));
    // a HashMap: sorting thousands of names on every reconcile was a tenth of the operator's CPU
    Map<String, NodeNetworkConfig> configs = new HashMap<>();
    cache.configs().forEach(c -> configs.put(c.getMetadata().getName(), c));
    List<NodeNetworkPolicy> policies = cache.policies().toList();
    return new Observation(nodes, configs, NodeOwnership.compute(policies, nodes.values()));
  }

  static String policyOf(NodeNetworkConfig config) {
    Map<String, String> labels = config.getMetadata().getLabels();
    return labels == null ? null : labels.get(Api.POLICY_LABEL);
  }

  private static Instant created(Node node) {
    String ts = node == null ? null : node.getMetadata().getCreationTimestamp();
    return ts == null ? null : Timestamps.parse(ts);
  }
}
