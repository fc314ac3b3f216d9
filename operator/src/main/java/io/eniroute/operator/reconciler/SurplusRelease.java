package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.aws.Allocation;
import io.eniroute.operator.reconciler.PolicyObserver.Observation;
import io.eniroute.operator.rollout.Timestamps;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 6: the second half of lowering a policy's counts. The hand-out withdrew the surplus from
 * the node's config and EC2 marks it retiring; the config carries {@link #ANNOTATION} (the
 * highest generation with retiring surplus). This step releases that surplus in EC2 only once the
 * node cannot be using it: its agent reports an applied policy generation at or past the
 * annotation (it removed the addresses, rules and tables), or the node has been NotReady for
 * longer than the policy's node timeout. A node that is gone, or a config being taken away, is
 * {@link NodeRetirer}'s: it releases everything, retiring surplus included. Releases run in
 * {@link Ec2Work}; the state lives in EC2 tags and the annotation, so a restart continues here.
 */
final class SurplusRelease {
  static final String ANNOTATION = Api.GROUP + "/retiring-surplus";
  private static final Logger log = LoggerFactory.getLogger(SurplusRelease.class);

  private final ConfigWriter writer;
  private final Optional<AddressAllocator> allocator;
  private final Ec2Work ec2;

  SurplusRelease(ConfigWriter writer, Optional<AddressAllocator> allocator, Ec2Work ec2) {
    this.writer = writer;
    this.allocator = allocator;
    this.ec2 = ec2;
  }

  /** The annotation a hand-out adds when its allocation left surplus retiring (none when nothing retires). */
  static Map<String, String> annotation(Allocation allocation) {
    return allocation.retiring().isPresent()
        ? Map.of(ANNOTATION, Long.toString(allocation.retiring().getAsLong())) : Map.of();
  }

  /** Returns how many nodes still wait for their surplus to be released by EC2 or for a NotReady timeout. */
  int release(NodeNetworkPolicy policy, Observation seen, Duration nodeTimeout, Instant now) {
    AwsSettings aws = policy.getSpec().getAws();
    if (aws == null || allocator.isEmpty()) {
      return 0;
    }
    String name = policy.getMetadata().getName();
    Set<String> owned = Set.copyOf(seen.ownership().ownedBy(name));
    int waiting = 0;
    for (NodeNetworkConfig config : seen.configsOf(name)) {
      String node = config.getMetadata().getName();
      OptionalLong retiring = retiring(config);
      Node n = seen.nodes().get(node);
      if (retiring.isEmpty() || n == null || !owned.contains(node) || config.getMetadata().getDeletionTimestamp() != null
          || config.getSpec().getState() == ConfigState.ABSENT) {
        continue;
      }
      OptionalLong upTo = releasableUpTo(config, n, retiring.getAsLong(), nodeTimeout, now);
      if (upTo.isEmpty()) {
        waiting += notReady(n) ? 1 : 0; // the timeout has no event of its own
        continue;
      }
      long generation = upTo.getAsLong();
      Ec2Work.Key key = new Ec2Work.Key("surplus", name, node, generation);
      Optional<Allocation> done = ec2.poll(key, () -> allocator.get().releaseRetired(n, aws, generation));
      if (done.isEmpty()) {
        waiting++;
      } else if (!done.get().complete()) {
        log.warn("node {}: releasing retired surplus not finished ({}: {}); will retry", node, done.get().reason(),
            done.get().message());
        waiting++;
      } else {
        // Surplus retired later (a newer hand-out) keeps its own annotation: the clear tests the value it read.
        writer.clearAnnotation(config, ANNOTATION, Long.toString(retiring.getAsLong()));
      }
    }
    return waiting;
  }

  private static OptionalLong retiring(NodeNetworkConfig config) {
    Map<String, String> a = config.getMetadata().getAnnotations();
    String v = a == null ? null : a.get(ANNOTATION);
    if (v == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.of(Long.MAX_VALUE); // not ours to read: only the NotReady timeout releases it
    }
  }

  // The agent's appliedPolicyGeneration counts even while it works on a newer spec: what it applied no longer lists the surplus.
  private static OptionalLong releasableUpTo(NodeNetworkConfig config, Node node, long retiring, Duration nodeTimeout,
      Instant now) {
    Long applied = config.getStatus() == null ? null : config.getStatus().getAppliedPolicyGeneration();
    if (applied != null && applied >= retiring) {
      return OptionalLong.of(applied);
    }
    Optional<Instant> since = notReadySince(node);
    if (since.isPresent() && Duration.between(since.get(), now).compareTo(nodeTimeout) > 0) {
      log.info("node {}: NotReady since {} (longer than the node timeout {}): releasing its retired surplus",
          node.getMetadata().getName(), since.get(), nodeTimeout);
      return OptionalLong.of(Math.max(retiring, config.getSpec().getPolicyGeneration()));
    }
    return OptionalLong.empty();
  }

  private static boolean notReady(Node node) {
    return notReadySince(node).isPresent();
  }

  // Ready=False or Unknown with a transition time; a node that reports no Ready condition is not judged.
  private static Optional<Instant> notReadySince(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType()) && !"True".equals(c.getStatus()) && c.getLastTransitionTime() != null) {
        return Optional.of(Timestamps.parse(c.getLastTransitionTime()));
      }
    }
    return Optional.empty();
  }
}
