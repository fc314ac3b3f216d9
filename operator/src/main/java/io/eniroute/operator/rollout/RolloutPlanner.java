package io.eniroute.operator.rollout;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.operator.rollout.NodeProgress.Kind;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, from the observed state alone, which nodes get the policy's current generation now.
 * Pure: no API calls, no memory between calls, so a restarted operator decides the same.
 *
 * <p>Rules: while no node has applied the generation, one node at a time (the canary). After
 * that, nodes updating plus nodes failed stay within maxUnavailable. More failures than
 * maxFailures halt the rollout: nothing more is handed out. Nodes that joined the cluster after
 * the rollout started wait until it is done, then all get the generation at once.
 */
public final class RolloutPlanner {

  /** What the planner needs to know about one node the policy owns. */
  public record OwnedNode(String name, Instant created, NodeNetworkConfig config, boolean blocked) {}

  /**
   * The rollout rules of one policy generation. {@code retryToken} is the policy's
   * eniroute.io/retry annotation (null when unset): a failed node whose config carries another
   * token is handed out again, as if it had never had this generation.
   */
  public record Rules(long generation, IntOrString maxUnavailable, int maxFailures, Duration nodeTimeout, String retryToken) {}

  public record Plan(
      List<NodeProgress> progress,
      List<String> toHand,
      int matched,
      int applied,
      int updating,
      int failed,
      int maxUnavailable,
      boolean halted,
      boolean firstHandOut,
      Optional<Instant> nextDeadline) {

    public List<NodeProgress> failures() {
      return progress.stream().filter(p -> p.kind() == Kind.FAILED).toList();
    }

    /** No node is left to hand out or waiting for its agent. */
    public boolean settled() {
      return updating == 0 && toHand.isEmpty() && progress.stream().noneMatch(p -> p.kind() == Kind.NOT_HANDED);
    }
  }

  public Plan plan(Rules rules, List<OwnedNode> nodes, Instant now) {
    List<OwnedNode> sorted = new ArrayList<>(nodes);
    sorted.sort(Comparator.comparing(OwnedNode::name));
    List<NodeProgress> progress = new ArrayList<>(sorted.size());
    Instant rolloutStart = null;
    Instant nextDeadline = null;
    int applied = 0;
    int updating = 0;
    int failed = 0;
    for (OwnedNode n : sorted) {
      NodeProgress p = NodeProgress.of(n.name(), n.config(), rules.generation(), rules.nodeTimeout(), rules.retryToken(), now);
      progress.add(p);
      switch (p.kind()) {
        case APPLIED -> applied++;
        case FAILED -> failed++;
        case UPDATING -> {
          updating++;
          if (p.handedAt() != null) {
            Instant deadline = p.handedAt().plus(rules.nodeTimeout());
            nextDeadline = nextDeadline == null || deadline.isBefore(nextDeadline) ? deadline : nextDeadline;
          }
        }
        case NOT_HANDED -> { }
      }
      if (p.kind() != Kind.NOT_HANDED && p.handedAt() != null
          && (rolloutStart == null || p.handedAt().isBefore(rolloutStart))) {
        rolloutStart = p.handedAt();
      }
    }
    int matched = sorted.size();
    int maxUnavailable = resolve(rules.maxUnavailable(), matched);
    boolean halted = failed > rules.maxFailures();
    boolean firstHandOut = progress.stream().allMatch(p -> p.kind() == Kind.NOT_HANDED);

    // Nodes created after the rollout began are "joiners": they do not take part in the waves and
    // get the generation at once when every other node is done (applied or failed).
    List<String> waveCandidates = new ArrayList<>();
    List<String> joiners = new ArrayList<>();
    boolean wavesOpen = false;
    for (int i = 0; i < sorted.size(); i++) {
      OwnedNode n = sorted.get(i);
      Kind kind = progress.get(i).kind();
      boolean joiner = rolloutStart != null && n.created() != null && n.created().isAfter(rolloutStart);
      if (joiner) {
        if (kind == Kind.NOT_HANDED && !n.blocked()) {
          joiners.add(n.name());
        }
        continue;
      }
      if (kind == Kind.NOT_HANDED || kind == Kind.UPDATING) {
        wavesOpen = true;
      }
      if (kind == Kind.NOT_HANDED && !n.blocked()) {
        waveCandidates.add(n.name());
      }
    }
    List<String> toHand = new ArrayList<>();
    if (!halted) {
      int slots = applied == 0 ? 1 - updating : maxUnavailable - updating - failed;
      for (int i = 0; i < Math.max(0, slots) && i < waveCandidates.size(); i++) {
        toHand.add(waveCandidates.get(i));
      }
      if (!wavesOpen && applied > 0) {
        toHand.addAll(joiners);
      }
    }
    return new Plan(List.copyOf(progress), List.copyOf(toHand), matched, applied, updating, failed,
        maxUnavailable, halted, firstHandOut && !toHand.isEmpty(), Optional.ofNullable(nextDeadline));
  }

  /** maxUnavailable as a node count: an integer, or a percentage of matched nodes rounded up; at least 1. */
  public static int resolve(IntOrString value, int matched) {
    if (value == null) {
      return 1;
    }
    if (value.getIntVal() != null) {
      return Math.max(1, value.getIntVal());
    }
    String s = value.getStrVal() == null ? "" : value.getStrVal().trim();
    try {
      if (s.endsWith("%")) {
        int percent = Integer.parseInt(s.substring(0, s.length() - 1).trim());
        return Math.max(1, (int) Math.ceil(matched * percent / 100.0));
      }
      return Math.max(1, Integer.parseInt(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("spec.rollout.maxUnavailable '" + s
          + "' is neither an integer nor a percentage; write e.g. 3 or \"10%\"", e);
    }
  }

  /** Names the node set for logs and status without flooding them. */
  public static String summarize(Set<String> names, int limit) {
    List<String> sorted = names.stream().sorted().toList();
    String head = String.join(", ", sorted.subList(0, Math.min(limit, sorted.size())));
    return sorted.size() > limit ? head + " and " + (sorted.size() - limit) + " more" : head;
  }
}
