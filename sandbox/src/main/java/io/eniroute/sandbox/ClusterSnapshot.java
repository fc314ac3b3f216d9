package io.eniroute.sandbox;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** What the API says at one instant: the policy's status and every node's config, as kubectl would show. */
public record ClusterSnapshot(long nanos, PolicyView policy, List<NodeView> nodes) {
  public ClusterSnapshot {
    nodes = List.copyOf(nodes);
  }

  /** @param generation metadata.generation; null fields when the policy does not exist */
  public record PolicyView(String name, Long generation, Long observedGeneration, String phase,
      Integer matched, Integer updated, Integer ready, Integer failed, boolean deleting) {}

  /**
   * @param wanted spec.policyGeneration (what the operator handed the node)
   * @param applied status.appliedPolicyGeneration (what the agent applied last)
   * @param result status.result (Applied, RolledBack, Degraded, Reverted, Pending)
   */
  public record NodeView(String node, String state, Long wanted, Long applied, String result, Integer ownedRules) {
    /** Handed a generation it has not applied yet and not failed on: counts against maxUnavailable. */
    public boolean updating() {
      return wanted != null && !Objects.equals(wanted, applied) && !failed() && !"absent".equalsIgnoreCase(state);
    }

    public boolean failed() {
      return "RolledBack".equals(result) || "Degraded".equals(result);
    }

    public String label() {
      if (wanted == null) {
        return "-";
      }
      String r = result == null ? "Pending" : result;
      return r + "(g" + (applied == null ? "-" : applied) + (Objects.equals(wanted, applied) ? "" : "→g" + wanted) + ")";
    }
  }

  public static ClusterSnapshot take(KubernetesClient client, String policyName) {
    NodeNetworkPolicy p = client.resources(NodeNetworkPolicy.class).withName(policyName).get();
    PolicyView pv = p == null
        ? new PolicyView(policyName, null, null, null, null, null, null, null, false)
        : new PolicyView(policyName, p.getMetadata().getGeneration(),
            p.getStatus() == null ? null : p.getStatus().getObservedGeneration(),
            p.getStatus() == null || p.getStatus().getPhase() == null ? null : p.getStatus().getPhase().value(),
            p.getStatus() == null ? null : p.getStatus().getMatchedNodes(),
            p.getStatus() == null ? null : p.getStatus().getUpdatedNodes(),
            p.getStatus() == null ? null : p.getStatus().getReadyNodes(),
            p.getStatus() == null ? null : p.getStatus().getFailedNodes(),
            p.getMetadata().getDeletionTimestamp() != null);
    List<NodeView> nodes = client.resources(NodeNetworkConfig.class).list().getItems().stream()
        .map(c -> new NodeView(c.getMetadata().getName(),
            c.getSpec() == null || c.getSpec().getState() == null ? null : c.getSpec().getState().value(),
            c.getSpec() == null ? null : c.getSpec().getPolicyGeneration(),
            c.getStatus() == null ? null : c.getStatus().getAppliedPolicyGeneration(),
            c.getStatus() == null || c.getStatus().getResult() == null ? null : c.getStatus().getResult().value(),
            c.getStatus() == null ? null : c.getStatus().getOwnedRules()))
        .sorted(Comparator.comparing(NodeView::node))
        .toList();
    return new ClusterSnapshot(System.nanoTime(), pv, nodes);
  }

  public NodeView node(String name) {
    return nodes.stream().filter(n -> n.node().equals(name)).findFirst().orElse(null);
  }

  public long updatingCount() {
    return nodes.stream().filter(NodeView::updating).count();
  }

  /** The policy's condition of this type, from the live object (for messages). */
  public static Condition condition(NodeNetworkPolicy p, String type) {
    if (p == null || p.getStatus() == null) {
      return null;
    }
    return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  /** One line for the live view. */
  public String line() {
    StringBuilder b = new StringBuilder();
    if (policy.generation() == null) {
      b.append("policy ").append(policy.name()).append(": none");
    } else {
      b.append("policy g").append(policy.generation()).append(' ')
          .append(policy.deleting() ? "Deleting" : Objects.requireNonNullElse(policy.phase(), "Pending"))
          .append(" updated ").append(n(policy.updated())).append('/').append(n(policy.matched()))
          .append(" ready ").append(n(policy.ready())).append(" failed ").append(n(policy.failed()));
    }
    b.append(" │");
    for (NodeView v : nodes) {
      b.append(' ').append(v.node()).append('=').append(v.label());
    }
    return b.toString();
  }

  private static String n(Integer i) {
    return i == null ? "-" : i.toString();
  }
}
