package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.aws.Allocation;
import io.eniroute.operator.reconciler.PolicyObserver.Observation;
import io.eniroute.operator.rollout.AgentReport;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 3 (and the whole of a deletion): takes a policy's config away from a node, one step per
 * reconcile: {@code state: absent} → the agent reports Reverted → the EC2 addresses eniroute gave
 * the instance are released → the config is deleted. A node that is gone skips the agent (there
 * is none) but not the release: its instance is read from the config ({@link DepartedNode}).
 * Releases run in {@link Ec2Work}, so one slow release holds back no other node.
 */
final class NodeRetirer {
  private static final Logger log = LoggerFactory.getLogger(NodeRetirer.class);

  private final ConfigWriter writer;
  private final Optional<AddressAllocator> allocator;
  private final Ec2Work ec2;
  private final Clock clock;

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
          && !retire(policy, config, seen.nodes().get(config.getMetadata().getName()))) {
        remaining++;
      }
    }
    return remaining;
  }

  /** Retires every config of a deleted policy; returns how many are not gone yet. */
  int retireAll(NodeNetworkPolicy policy, Observation seen) {
    int remaining = 0;
    for (NodeNetworkConfig config : seen.configsOf(policy.getMetadata().getName())) {
      if (!retire(policy, config, seen.nodes().get(config.getMetadata().getName()))) {
        remaining++;
      }
    }
    return remaining;
  }

  /** One step of taking a node's config away; true once the config is gone. */
  private boolean retire(NodeNetworkPolicy policy, NodeNetworkConfig config, Node node) {
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
    if (!released(policy, config, node)) {
      return false;
    }
    writer.delete(config, node == null ? "the node is gone" : "its agent reported Reverted");
    return true;
  }

  private boolean released(NodeNetworkPolicy policy, NodeNetworkConfig config, Node node) {
    AwsSettings aws = policy.getSpec().getAws();
    if (aws == null || allocator.isEmpty()) {
      return true;
    }
    String name = config.getMetadata().getName();
    Optional<Node> instance = node != null ? Optional.of(node) : DepartedNode.of(config);
    if (instance.isEmpty()) {
      log.warn("node {} is gone and its config records no EC2 instance (written by an older operator):"
          + " release its Elastic IPs and interfaces by their eniroute tags by hand", name);
      return true;
    }
    Ec2Work.Key key = new Ec2Work.Key("release", policy.getMetadata().getName(), name, 0);
    Optional<Allocation> done = ec2.poll(key, () -> allocator.get().release(instance.get(), aws));
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
