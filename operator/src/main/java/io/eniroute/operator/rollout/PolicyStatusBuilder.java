package io.eniroute.operator.rollout;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.NodeFailure;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicyStatus;
import io.eniroute.crds.v1alpha1.PolicyConflict;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Turns a reconcile's outcome into the policy's status: counts, phase and conditions. */
public final class PolicyStatusBuilder {
  /** The status lists at most this many nodes; the counts carry the full numbers. */
  public static final int MAX_LISTED = 20;

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

    List<Condition> conditions = new ArrayList<>();
    conditions.add(ready(o));
    conditions.add(progressing(o));
    conditions.add(degraded(o, failing));
    conditions.add(conflict(o));
    if (o.awsRequested()) {
      conditions.add(aws(o));
    }
    String stamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    for (Condition c : conditions) {
      c.setObservedGeneration(o.generation());
      c.setLastTransitionTime(previousTransition(previous, c).orElse(stamp));
    }
    s.setConditions(conditions);
    return s;
  }

  private static java.util.Optional<String> previousTransition(NodeNetworkPolicyStatus previous, Condition c) {
    if (previous == null || previous.getConditions() == null) {
      return java.util.Optional.empty();
    }
    return previous.getConditions().stream()
        .filter(p -> c.getType().equals(p.getType()) && c.getStatus().equals(p.getStatus()))
        .map(Condition::getLastTransitionTime)
        .filter(t -> t != null)
        .findFirst();
  }

  private static Condition ready(RolloutOutcome o) {
    String phase = o.phase();
    if (RolloutOutcome.COMPLETE.equals(phase) && o.plan().failed() == 0) {
      String msg = o.matched() == 0 ? "no node is selected by this policy (and not owned by an older one)"
          : "all " + o.matched() + " selected nodes applied generation " + o.generation();
      return cond(Api.READY, true, "AllNodesApplied", msg);
    }
    return switch (phase) {
      case RolloutOutcome.PENDING -> cond(Api.READY, false, o.blockerReason(), o.blocker());
      case RolloutOutcome.HALTED -> cond(Api.READY, false, "RolloutHalted", haltMessage(o));
      case RolloutOutcome.COMPLETE -> cond(Api.READY, false, "NodesFailed",
          o.plan().failed() + " of " + o.matched() + " nodes failed generation " + o.generation() + " (within maxFailures)");
      default -> cond(Api.READY, false, "RollingOut", progressMessage(o));
    };
  }

  private static Condition progressing(RolloutOutcome o) {
    return switch (o.phase()) {
      case RolloutOutcome.PROGRESSING -> cond(Api.PROGRESSING, true, "RollingOut", progressMessage(o));
      case RolloutOutcome.HALTED -> cond(Api.PROGRESSING, false, "RolloutHalted", haltMessage(o));
      case RolloutOutcome.PENDING -> cond(Api.PROGRESSING, false, o.blockerReason(), o.blocker());
      default -> cond(Api.PROGRESSING, false, "RolloutComplete",
          "generation " + o.generation() + " reached every selected node");
    };
  }

  private static Condition degraded(RolloutOutcome o, List<NodeFailure> failing) {
    if (o.blocker() != null) {
      return cond(Api.DEGRADED, true, o.blockerReason(), o.blocker());
    }
    if (o.plan().halted()) {
      return cond(Api.DEGRADED, true, "RolloutHalted", haltMessage(o));
    }
    if (o.plan().failed() > 0) {
      return cond(Api.DEGRADED, true, "NodesFailed", o.plan().failed() + " node(s) failed generation "
          + o.generation() + ": " + describe(failing));
    }
    if (!o.awsWaiting().isEmpty()) {
      return cond(Api.DEGRADED, true, "AwsAddressesPending", describe(o.awsWaiting()));
    }
    return cond(Api.DEGRADED, false, "NoFailures", "no selected node reports a failure");
  }

  private static Condition conflict(RolloutOutcome o) {
    if (o.conflicts().isEmpty()) {
      return cond(Api.CONFLICT, false, "NoConflicts", "no selected node is owned by another policy");
    }
    String msg = o.conflicts().entrySet().stream()
        .map(e -> "nodes " + names(e.getValue()) + " are owned by older policy " + e.getKey())
        .collect(Collectors.joining("; "));
    return cond(Api.CONFLICT, true, "NodesOwnedByOlderPolicy",
        msg + "; narrow this policy's nodeSelector or the other policy's to resolve it");
  }

  private static Condition aws(RolloutOutcome o) {
    if ("AwsNotConfigured".equals(o.blockerReason())) {
      return cond(Api.AWS_READY, false, "AwsNotConfigured", o.blocker());
    }
    if (!o.awsWaiting().isEmpty()) {
      NodeFailure first = o.awsWaiting().get(0);
      return cond(Api.AWS_READY, false, first.getReason(), describe(o.awsWaiting()));
    }
    return cond(Api.AWS_READY, true, "Allocated", "every node handed this generation has its EC2 addresses");
  }

  static String progressMessage(RolloutOutcome o) {
    var p = o.plan();
    String mode = p.applied() == 0 ? "canary node first" : "waves of up to " + p.maxUnavailable() + " nodes";
    String msg = "generation " + o.generation() + ": " + p.applied() + "/" + o.matched() + " applied, "
        + (p.updating() + o.handed().size()) + " updating, " + p.failed() + " failed, " + o.pending() + " pending (" + mode + ")";
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
        + describe(p.failures().stream().map(f -> new NodeFailure(f.node(), f.reason(), f.message())).toList())
        + "); " + o.pending() + " node(s) keep their previous configuration; fix the cause and edit the policy to roll out again";
  }

  private static String describe(List<NodeFailure> failures) {
    int shown = Math.min(5, failures.size());
    String head = failures.subList(0, shown).stream()
        .map(f -> f.getNode() + " " + f.getReason() + (f.getMessage() == null ? "" : ": " + f.getMessage()))
        .collect(Collectors.joining("; "));
    return failures.size() > shown ? head + "; and " + (failures.size() - shown) + " more" : head;
  }

  private static String names(List<String> nodes) {
    return RolloutPlanner.summarize(new java.util.TreeSet<>(nodes), 10);
  }

  private static Condition cond(String type, boolean status, String reason, String message) {
    return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False")
        .withReason(reason).withMessage(message).build();
  }

  /** For logs and events. */
  public static String failuresText(RolloutPlanner.Plan plan) {
    return describe(plan.failures().stream().map(f -> new NodeFailure(f.node(), f.reason(), f.message())).toList());
  }
}
