package io.eniroute.operator.rollout;

import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides which policy owns each node: of the live policies whose selector matches it, the oldest
 * (creationTimestamp, then name). Policies being deleted or with an invalid selector own nothing.
 */
public final class NodeOwnership {
  private final Map<String, String> ownerByNode;
  private final Map<String, List<String>> selectedByPolicy;

  private NodeOwnership(Map<String, String> ownerByNode, Map<String, List<String>> selectedByPolicy) {
    this.ownerByNode = ownerByNode;
    this.selectedByPolicy = selectedByPolicy;
  }

  public static NodeOwnership compute(Collection<NodeNetworkPolicy> policies, Collection<Node> nodes) {
    List<NodeNetworkPolicy> live = new ArrayList<>();
    for (NodeNetworkPolicy p : policies) {
      if (p.getMetadata().getDeletionTimestamp() == null
          && LabelSelectors.problem(p.getSpec().getNodeSelector()).isEmpty()) {
        live.add(p);
      }
    }
    live.sort(Comparator.comparing(NodeOwnership::created).thenComparing(p -> p.getMetadata().getName()));
    Map<String, String> owner = new HashMap<>();
    Map<String, List<String>> selected = new HashMap<>();
    for (Node node : nodes) {
      String name = node.getMetadata().getName();
      for (NodeNetworkPolicy p : live) {
        if (LabelSelectors.matches(p.getSpec().getNodeSelector(), node.getMetadata().getLabels())) {
          owner.putIfAbsent(name, p.getMetadata().getName());
          selected.computeIfAbsent(p.getMetadata().getName(), k -> new ArrayList<>()).add(name);
        }
      }
    }
    return new NodeOwnership(owner, selected);
  }

  private static String created(NodeNetworkPolicy p) {
    // RFC 3339 in UTC with a fixed format sorts like time; a missing stamp sorts last.
    String ts = p.getMetadata().getCreationTimestamp();
    return ts == null ? "~" : ts;
  }

  /** The policy that owns {@code node}, or null. */
  public String ownerOf(String node) {
    return ownerByNode.get(node);
  }

  /** Nodes the policy's selector matches and that it owns, sorted by name. */
  public List<String> ownedBy(String policy) {
    return selectedBy(policy).stream().filter(n -> policy.equals(ownerByNode.get(n))).sorted().toList();
  }

  /** Nodes the policy selects but an older policy owns: older policy name to sorted node names. */
  public Map<String, List<String>> conflictsOf(String policy) {
    Map<String, List<String>> out = new TreeMap<>();
    for (String node : selectedBy(policy)) {
      String owner = ownerByNode.get(node);
      if (!policy.equals(owner)) {
        out.computeIfAbsent(owner, k -> new ArrayList<>()).add(node);
      }
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  private List<String> selectedBy(String policy) {
    return selectedByPolicy.getOrDefault(policy, List.of());
  }
}
