package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.NodeFailure;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.aws.Allocation;
import io.eniroute.operator.reconciler.PolicyObserver.Observation;
import io.eniroute.operator.rollout.AgentReport;
import io.fabric8.kubernetes.api.model.Node;
import io.eniroute.operator.rollout.LabelSelectors;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 3 (and the whole of a deletion): takes a policy's config away from a node, one step per
 * reconcile: {@code state: absent} → the agent reports Reverted → the EC2 addresses eniroute gave
 * the instance are released → the config is deleted. A node that is gone skips the agent (there
 * is none) but not the release: its instance is read from the config ({@link DepartedNode}).
 * Releases run in {@link Ec2Work}, so one slow release holds back no other node, and never
 * while an allocation for the node still runs. A deleted policy's nodes that never got a config
 * (allocation incomplete) are released too: an allocation that stopped half way may have created
 * interfaces.
 */
final class NodeRetirer {
  private static final Logger log = LoggerFactory.getLogger(NodeRetirer.class);

  private final ConfigWriter writer;
  private final Optional<AddressAllocator> allocator;
  private final Ec2Work ec2;
  private final Clock clock;
  // Per policy being deleted: nodes whose config is gone or whose release finished. Once its
  // config is deleted a node looks never handed out; without this it was released again on every
  // pass, each pass racing the last one's result, and the deletion never ended.
  private final Map<String, Set<String>> doneWhileDeleting = new ConcurrentHashMap<>();

  NodeRetirer(ConfigWriter writer, Optional<AddressAllocator> allocator, Ec2Work ec2, Clock clock) {
    this.writer = writer;
    this.allocator = allocator;
    this.ec2 = ec2;
    this.clock = clock;
  }

  /** Retires this policy's configs on nodes it no longer owns; returns how many are not gone yet. */
  int retireUnowned(NodeNetworkPolicy policy, Observation seen) {
    Set<String> owned = Set.copyOf(seen.ownership().ownedBy(policy.getMetadata().getName()));
    int remaining = 0;
    for (NodeNetworkConfig config : seen.configsOf(policy.getMetadata().getName())) {
      if (!owned.contains(config.getMetadata().getName())
          && !retire(policy, config, seen.nodes().get(config.getMetadata().getName()), new ArrayList<>())) {
        remaining++;
      }
    }
    return remaining;
  }

  /**
   * Retires every config of a deleted policy, and releases EC2 on the nodes it selected but never
   * handed a config (their allocation never completed, e.g. a full subnet, yet may have created
   * interfaces); returns how many are not done yet.
   */
  Retiring retireAll(NodeNetworkPolicy policy, Observation seen) {
    int remaining = 0;
    List<NodeFailure> ec2Waiting = new ArrayList<>();
    Set<String> done = doneWhileDeleting.computeIfAbsent(policy.getMetadata().getName(), k -> ConcurrentHashMap.newKeySet());
    for (NodeNetworkConfig config : seen.configsOf(policy.getMetadata().getName())) {
      if (retire(policy, config, seen.nodes().get(config.getMetadata().getName()), ec2Waiting)) {
        done.add(config.getMetadata().getName());
      } else {
        remaining++;
      }
    }
    for (Node node : neverHandedOut(policy, seen)) {
      String name = node.getMetadata().getName();
      if (done.contains(name)) {
        continue;
      }
      if (released(policy, name, Optional.of(node), ec2Waiting)) {
        done.add(name);
      } else {
        remaining++;
      }
    }
    return new Retiring(remaining, ec2Waiting);
  }

  /** The deletion of {@code policy} is over (its finalizer is removed). */
  void forget(String policy) {
    doneWhileDeleting.remove(policy);
  }

  /** A deletion's progress: nodes not done yet, and those whose EC2 release EC2 refused last time (reason, sentence). */
  record Retiring(int remaining, List<NodeFailure> ec2Waiting) {}

  // Selected by the deleted policy, without a config of any policy, owned by no live policy (which would take over).
  private static List<Node> neverHandedOut(NodeNetworkPolicy policy, Observation seen) {
    if (policy.getSpec().getAws() == null || LabelSelectors.problem(policy.getSpec().getNodeSelector()).isPresent()) {
      return List.of();
    }
    return seen.nodes().values().stream()
        .filter(n -> !seen.configs().containsKey(n.getMetadata().getName())
            && seen.ownership().ownerOf(n.getMetadata().getName()) == null
            && LabelSelectors.matches(policy.getSpec().getNodeSelector(), n.getMetadata().getLabels()))
        .toList();
  }

  /** One step of taking a node's config away; true once the config is gone. */
  private boolean retire(NodeNetworkPolicy policy, NodeNetworkConfig config, Node node, List<NodeFailure> ec2Waiting) {
    if (config.getMetadata().getDeletionTimestamp() != null) {
      return true;
    }
    if (node != null && config.getSpec().getState() != ConfigState.ABSENT) {
      writer.retire(config, clock.instant());
      return false;
    }
    if (node != null && !AgentReport.reverted(config)) {
      return false;
    }
    Optional<Node> instance = node != null ? Optional.of(node) : DepartedNode.of(config);
    if (!released(policy, config.getMetadata().getName(), instance, ec2Waiting)) {
      return false;
    }
    writer.delete(config, node == null ? "the node is gone" : "its agent reported Reverted");
    return true;
  }

  // True once EC2 is released; a release EC2 refused (this time or, while a retry runs, last time) goes to ec2Waiting.
  private boolean released(NodeNetworkPolicy policy, String name, Optional<Node> instance, List<NodeFailure> ec2Waiting) {
    AwsSettings aws = policy.getSpec().getAws();
    if (aws == null || allocator.isEmpty()) {
      return true;
    }
    if (ec2.runs("allocation", policy.getMetadata().getName(), name)) {
      return false; // an allocation still running would add what the release had just removed
    }
    if (instance.isEmpty()) {
      log.warn("node {} is gone and its config records no EC2 instance (written by an older operator):"
          + " release its Elastic IPs and interfaces by their eniroute tags by hand", name);
      return true;
    }
    Ec2Work.Key key = new Ec2Work.Key("release", policy.getMetadata().getName(), name, 0);
    Optional<Allocation> done = ec2.poll(key, () -> allocator.get().release(instance.get(), aws));
    Optional<Allocation> shown = done.or(() -> ec2.last(key));
    if (shown.isPresent() && !shown.get().complete()) {
      ec2Waiting.add(new NodeFailure(name, shown.get().reason(), shown.get().message()));
    }
    if (done.isEmpty()) {
      return false;
    }
    if (!done.get().complete()) {
      log.warn("node {}: EC2 release not finished ({}: {}); will retry", name, done.get().reason(), done.get().message());
      return false;
    }
    return true;
  }
}
