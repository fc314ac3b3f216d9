package io.eniroute.operator.rollout;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.Conditions;
import io.eniroute.crds.v1alpha1.NodeFailure;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicyStatus;
import io.eniroute.crds.v1alpha1.PolicyConflict;
import io.eniroute.crds.v1alpha1.PolicyPhase;
import io.eniroute.crds.v1alpha1.Reasons;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns a reconcile's outcome into the policy's status: counts, phase and conditions. Ready,
 * Reconciling and Stalled follow kstatus (a halted or blocked rollout is Stalled, so Flux and
 * Argo CD do not report it healthy); Degraded says that nodes failed even when the rollout went
 * on (within maxFailures), Conflict that another policy owns selected nodes.
 */
public final class PolicyStatusBuilder {
  /** The status lists at most this many nodes; the counts carry the full numbers. */
  public static final int MAX_LISTED = 20;
  private static final String RELEASE_REFUSED = "EC2 release not finished on ";
  static final List<String> TYPES = List.of(Api.READY, Api.RECONCILING, Api.STALLED, Api.DEGRADED, Api.CONFLICT, Api.AWS_READY);

  public NodeNetworkPolicyStatus build(RolloutOutcome o, NodeNetworkPolicyStatus previous, Instant now) {
    NodeNetworkPolicyStatus s = new NodeNetworkPolicyStatus();
    s.setObservedGeneration(o.generation());
    s.setPhase(o.phase());
    s.setMatchedNodes(o.matched());
    s.setUpdatedNodes(o.updated());
    s.setReadyNodes(o.plan() == null ? 0 : o.plan().applied());
    s.setFailedNodes(o.plan() == null ? 0 : o.plan().failed());
    s.setPendingNodes(o.pending());
    List<NodeFailure> failing = new ArrayList<>();
    if (o.plan() != null) {
      o.plan().failures().forEach(p -> failing.add(new NodeFailure(p.node(), p.reason(), p.message())));
    }
    failing.addAll(o.awsWaiting());
    s.setFailingNodes(new ArrayList<>(failing.subList(0, Math.min(MAX_LISTED, failing.size()))));
    List<PolicyConflict> conflicts = new ArrayList<>();
    o.conflicts().forEach((policy, nodes) ->
        conflicts.add(new PolicyConflict(policy, new ArrayList<>(nodes.subList(0, Math.min(MAX_LISTED, nodes.size()))), nodes.size())));
    s.setConflicts(conflicts);

    List<Condition> c = Conditions.copyOf(previous == null ? null : previous.getConditions());
    Long gen = o.generation();
    ready(c, o, gen, now);
    reconcilingAndStalled(c, o, gen, now);
    degraded(c, o, failing, gen, now);
    conflict(c, o, gen, now);
    if (o.awsRequested()) {
      aws(c, o, gen, now);
    }
    Conditions.arrange(c, o.awsRequested() ? TYPES : TYPES.subList(0, TYPES.size() - 1));
    s.setConditions(c);
    return s;
  }

  /**
   * The status while a deleted policy's nodes revert: phase Deleting, Ready=False and
   * Reconciling=True with reason Reverting, observedGeneration the deletion's; counts and lists
   * stay as the last rollout left them. Releases EC2 refused ({@code ec2Waiting}) are named in the
   * message and in Degraded with EC2's reason (the deletion waits for someone to fix them).
   */
  public NodeNetworkPolicyStatus deleting(NodeNetworkPolicyStatus previous, long generation, int remaining,
      List<NodeFailure> ec2Waiting, Instant now) {
    NodeNetworkPolicyStatus s = previous == null ? new NodeNetworkPolicyStatus() : copy(previous);
    String message = "policy deleted: waiting for " + remaining + " node(s) to revert (state absent, then Reverted)"
        + (ec2Waiting.isEmpty() ? "" : "; EC2 release not finished on " + describe(ec2Waiting));
    s.setPhase(PolicyPhase.DELETING);
    // The API server bumps metadata.generation when it sets deletionTimestamp: this status is
    // the operator's view of that generation (kstatus and the Argo CD check compare the two).
    s.setObservedGeneration(generation);
    List<Condition> c = Conditions.copyOf(s.getConditions());
    Conditions.set(c, Api.READY, false, Reasons.REVERTING, message, generation, now);
    Conditions.set(c, Api.RECONCILING, true, Reasons.REVERTING, message, generation, now);
    Conditions.set(c, Api.STALLED, false, Reasons.REVERTING, message, generation, now);
    if (!ec2Waiting.isEmpty()) {
      Conditions.set(c, Api.DEGRADED, true, ec2Waiting.get(0).getReason(), RELEASE_REFUSED + describe(ec2Waiting),
          generation, now);
    } else if (c.stream().anyMatch(x -> Api.DEGRADED.equals(x.getType()) && x.getMessage() != null
        && x.getMessage().startsWith(RELEASE_REFUSED))) {
      Conditions.set(c, Api.DEGRADED, false, Reasons.REVERTING, "no EC2 release is refused any more", generation, now);
    }
    Conditions.arrange(c, TYPES);
    s.setConditions(c);
    return s;
  }

  private static void ready(List<Condition> c, RolloutOutcome o, Long gen, Instant now) {
    PolicyPhase phase = o.phase();
    if (phase == PolicyPhase.COMPLETE && o.plan().failed() == 0) {
      String msg = o.matched() == 0 ? "no node is selected by this policy (and not owned by an older one)"
          : "all " + o.matched() + " selected nodes applied generation " + o.generation();
      Conditions.set(c, Api.READY, true, Reasons.ALL_NODES_APPLIED, msg, gen, now);
      return;
    }
    switch (phase) {
      case PENDING -> Conditions.set(c, Api.READY, false, o.blockerReason(), o.blocker(), gen, now);
      case HALTED -> Conditions.set(c, Api.READY, false, Reasons.ROLLOUT_HALTED, haltMessage(o), gen, now);
      case COMPLETE -> Conditions.set(c, Api.READY, false, Reasons.NODES_FAILED,
          o.plan().failed() + " of " + o.matched() + " nodes failed generation " + o.generation() + " (within maxFailures)", gen, now);
      default -> Conditions.set(c, Api.READY, false, Reasons.ROLLING_OUT, progressMessage(o), gen, now);
    }
  }

  private static void reconcilingAndStalled(List<Condition> c, RolloutOutcome o, Long gen, Instant now) {
    switch (o.phase()) {
      case PROGRESSING -> {
        Conditions.set(c, Api.RECONCILING, true, Reasons.ROLLING_OUT, progressMessage(o), gen, now);
        Conditions.set(c, Api.STALLED, false, Reasons.NOT_STALLED, "the rollout is moving", gen, now);
      }
      case HALTED -> {
        Conditions.set(c, Api.RECONCILING, false, Reasons.ROLLOUT_HALTED, haltMessage(o), gen, now);
        Conditions.set(c, Api.STALLED, true, Reasons.ROLLOUT_HALTED, haltMessage(o), gen, now);
      }
      case PENDING -> {
        Conditions.set(c, Api.RECONCILING, false, o.blockerReason(), o.blocker(), gen, now);
        Conditions.set(c, Api.STALLED, true, o.blockerReason(), o.blocker(), gen, now);
      }
      default -> {
        String msg = "generation " + o.generation() + " reached every selected node";
        Conditions.set(c, Api.RECONCILING, false, Reasons.ROLLOUT_COMPLETE, msg, gen, now);
        Conditions.set(c, Api.STALLED, false, Reasons.ROLLOUT_COMPLETE, msg, gen, now);
      }
    }
  }

  private static void degraded(List<Condition> c, RolloutOutcome o, List<NodeFailure> failing, Long gen, Instant now) {
    if (o.blocker() != null) {
      Conditions.set(c, Api.DEGRADED, true, o.blockerReason(), o.blocker(), gen, now);
    } else if (o.plan().halted()) {
      Conditions.set(c, Api.DEGRADED, true, Reasons.ROLLOUT_HALTED, haltMessage(o), gen, now);
    } else if (o.plan().failed() > 0) {
      Conditions.set(c, Api.DEGRADED, true, Reasons.NODES_FAILED, o.plan().failed() + " node(s) failed generation "
          + o.generation() + ": " + describe(failing), gen, now);
    } else if (!o.awsWaiting().isEmpty()) {
      Conditions.set(c, Api.DEGRADED, true, Reasons.AWS_ADDRESSES_PENDING, describe(o.awsWaiting()), gen, now);
    } else {
      Conditions.set(c, Api.DEGRADED, false, Reasons.NO_FAILURES, "no selected node reports a failure", gen, now);
    }
  }

  private static void conflict(List<Condition> c, RolloutOutcome o, Long gen, Instant now) {
    if (o.conflicts().isEmpty() && o.handMade().isEmpty()) {
      Conditions.set(c, Api.CONFLICT, false, Reasons.NO_CONFLICTS, "no selected node is owned by another policy", gen, now);
      return;
    }
    List<String> parts = new ArrayList<>();
    if (!o.conflicts().isEmpty()) {
      parts.add(o.conflicts().entrySet().stream()
          .map(e -> "nodes " + names(e.getValue()) + " are owned by older policy " + e.getKey())
          .collect(Collectors.joining("; ")) + "; narrow this policy's nodeSelector or the other policy's to resolve it");
    }
    if (!o.handMade().isEmpty()) {
      String first = o.handMade().get(0);
      parts.add("nodes " + names(o.handMade()) + " have a NodeNetworkConfig that no policy wrote (no "
          + Api.POLICY_LABEL + " label), left untouched; delete it (kubectl delete nnc " + first
          + ") to let this policy manage the node, or narrow the nodeSelector");
    }
    String reason = o.conflicts().isEmpty() ? Reasons.NODES_HAVE_HAND_MADE_CONFIGS : Reasons.NODES_OWNED_BY_OLDER_POLICY;
    Conditions.set(c, Api.CONFLICT, true, reason, String.join("; ", parts), gen, now);
  }

  private static void aws(List<Condition> c, RolloutOutcome o, Long gen, Instant now) {
    if (Reasons.AWS_NOT_CONFIGURED.equals(o.blockerReason())) {
      Conditions.set(c, Api.AWS_READY, false, Reasons.AWS_NOT_CONFIGURED, o.blocker(), gen, now);
    } else if (!o.awsWaiting().isEmpty()) {
      Conditions.set(c, Api.AWS_READY, false, o.awsWaiting().get(0).getReason(), describe(o.awsWaiting()), gen, now);
    } else if (!o.allocating().isEmpty()) {
      Conditions.set(c, Api.AWS_READY, false, Reasons.ALLOCATING,
          "EC2 work runs for " + names(o.allocating()), gen, now);
    } else {
      Conditions.set(c, Api.AWS_READY, true, Reasons.ALLOCATED, "every node handed this generation has its EC2 addresses", gen, now);
    }
  }

  static String progressMessage(RolloutOutcome o) {
    var p = o.plan();
    String mode = p.applied() == 0 ? "canary node first" : "waves of up to " + p.maxUnavailable() + " nodes";
    String msg = "generation " + o.generation() + ": " + p.applied() + "/" + o.matched() + " applied, "
        + (p.updating() + o.handed().size()) + " updating, " + p.failed() + " failed, " + o.pending() + " pending (" + mode + ")";
    if (!o.allocating().isEmpty()) {
      msg += "; EC2 addresses being allocated for " + o.allocating().size() + " node(s)";
    }
    if (p.failed() >= p.maxUnavailable() && !p.halted() && o.pending() > 0) {
      msg += "; failed nodes use up maxUnavailable=" + p.maxUnavailable() + ", fix them or raise maxUnavailable";
    }
    if (!o.waitingForOtherPolicy().isEmpty()) {
      msg += "; waiting for " + names(o.waitingForOtherPolicy()) + " to be reverted by the policy that had them";
    }
    return msg;
  }

  static String haltMessage(RolloutOutcome o) {
    var p = o.plan();
    return "rollout of generation " + o.generation() + " halted: " + p.failed() + " node(s) failed, more than maxFailures allows ("
        + failuresText(p) + "); " + o.pending() + " node(s) keep their previous configuration; fix the cause, then edit the"
        + " policy or set a new value in its " + Api.RETRY_ANNOTATION + " annotation to roll out again";
  }

  /** The failed nodes of a plan in words, for status, logs and events. */
  public static String failuresText(RolloutPlanner.Plan plan) {
    return describe(plan.failures().stream().map(f -> new NodeFailure(f.node(), f.reason(), f.message())).toList());
  }

  private static String describe(List<NodeFailure> failures) {
    int shown = Math.min(5, failures.size());
    String head = failures.subList(0, shown).stream()
        .map(f -> f.getNode() + " " + f.getReason() + (f.getMessage() == null ? "" : ": " + f.getMessage()))
        .collect(Collectors.joining("; "));
    return failures.size() > shown ? head + "; and " + (failures.size() - shown) + " more" : head;
  }

  private static String names(List<String> nodes) {
    return RolloutPlanner.summarize(new TreeSet<>(nodes), 10);
  }

  private static NodeNetworkPolicyStatus copy(NodeNetworkPolicyStatus s) {
    NodeNetworkPolicyStatus out = new NodeNetworkPolicyStatus();
    out.setObservedGeneration(s.getObservedGeneration());
    out.setPhase(s.getPhase());
    out.setMatchedNodes(s.getMatchedNodes());
    out.setUpdatedNodes(s.getUpdatedNodes());
    out.setReadyNodes(s.getReadyNodes());
    out.setFailedNodes(s.getFailedNodes());
    out.setPendingNodes(s.getPendingNodes());
    out.setFailingNodes(new ArrayList<>(s.getFailingNodes()));
    out.setConflicts(new ArrayList<>(s.getConflicts()));
    out.setConditions(Conditions.copyOf(s.getConditions()));
    return out;
  }
}
