package io.eniroute.operator.rollout;

import io.eniroute.crds.v1alpha1.NodeFailure;
import io.eniroute.crds.v1alpha1.PolicyPhase;
import java.util.List;
import java.util.Map;

/**
 * Everything one reconcile learnt and did for a policy, as input to its status.
 *
 * @param plan the planner's decision (null when a configuration problem stopped the rollout)
 * @param handed nodes handed the generation during this reconcile
 * @param allocating nodes whose EC2 work runs now, off the reconcile thread (not a failure)
 * @param awsWaiting nodes whose EC2 addresses are not ready yet, with the allocator's reason
 * @param blocker a configuration problem that stops the whole rollout, or null
 * @param blockerReason CamelCase reason for {@code blocker}
 * @param conflicts older policy name to the nodes it owns that this policy also selects
 * @param handMade selected nodes left out because their config was made by hand
 * @param waitingForOtherPolicy nodes whose config still belongs to another policy (reverting)
 */
public record RolloutOutcome(
    long generation,
    RolloutPlanner.Plan plan,
    List<String> handed,
    List<String> allocating,
    List<NodeFailure> awsWaiting,
    String blocker,
    String blockerReason,
    Map<String, List<String>> conflicts,
    List<String> handMade,
    List<String> waitingForOtherPolicy,
    boolean awsRequested) {

  public int matched() {
    return plan == null ? 0 : plan.matched();
  }

  public int updated() {
    return plan == null ? 0 : plan.applied() + plan.updating() + plan.failed() + handed.size();
  }

  public int pending() {
    return matched() - updated();
  }

  public PolicyPhase phase() {
    if (blocker != null) {
      return PolicyPhase.PENDING;
    }
    if (plan.halted()) {
      return PolicyPhase.HALTED;
    }
    if (pending() == 0 && plan.updating() == 0 && handed.isEmpty()) {
      return PolicyPhase.COMPLETE;
    }
    return PolicyPhase.PROGRESSING;
  }
}
