package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicyStatus;
import io.eniroute.crds.v1alpha1.PolicyPhase;
import io.eniroute.crds.v1alpha1.Reasons;
import io.eniroute.operator.rollout.PolicyStatusBuilder;
import io.eniroute.operator.rollout.RolloutOutcome;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 7: the Events a person watching {@code kubectl describe nnp} needs: a rollout started,
 * halted, completed, is blocked, was retried, was reverted. Each phase change is announced once:
 * the phase is read from the status in the cache, which the recorder keeps current.
 */
final class RolloutAnnouncer {
  private static final Logger log = LoggerFactory.getLogger(RolloutAnnouncer.class);

  private final EventRecorder events;

  RolloutAnnouncer(EventRecorder events) {
    this.events = events;
  }

  /**
   * RolloutStarted, once per generation: when nodes took this generation and the recorded status
   * did not show any yet. Decided from the status, not from what this reconcile handed out, so a
   * hand-out whose reconcile failed afterwards (a lost answer, a failed status write) is still
   * announced by the next reconcile, and a restarted operator does not announce it again.
   */
  void startedIfNew(NodeNetworkPolicy policy, RolloutOutcome o, NodeNetworkPolicyStatus previous) {
    if (o.plan() == null || o.updated() == 0) {
      return;
    }
    boolean shownBefore = previous != null && Objects.equals(previous.getObservedGeneration(), o.generation())
        && previous.getUpdatedNodes() != null && previous.getUpdatedNodes() > 0;
    if (shownBefore) {
      return;
    }
    String canary = o.handed().isEmpty() ? "a canary" : "canary " + o.handed().get(0);
    events.normal(policy, Reasons.ROLLOUT_STARTED, "rolling out generation " + o.generation() + " to " + o.matched()
        + " node(s): " + canary + " first, then waves of up to " + o.plan().maxUnavailable());
  }

  void retried(NodeNetworkPolicy policy, String token, int nodes) {
    events.normal(policy, Reasons.RETRY_REQUESTED, "retry " + token + ": " + nodes
        + " failed node(s) get their spec again and their agents try once more");
  }

  void reverted(NodeNetworkPolicy policy) {
    events.normal(policy, Reasons.REVERTED, "every node reverted the routing of policy " + policy.getMetadata().getName()
        + "; removing the finalizer");
  }

  /** Announces a phase this generation had not reached before. */
  void transitions(NodeNetworkPolicy policy, RolloutOutcome o, NodeNetworkPolicyStatus previous) {
    boolean sameGeneration = previous != null && Objects.equals(previous.getObservedGeneration(), o.generation());
    PolicyPhase before = sameGeneration ? previous.getPhase() : null;
    PolicyPhase phase = o.phase();
    if (before == phase) {
      return;
    }
    switch (phase) {
      case HALTED -> {
        String msg = "rollout of generation " + o.generation() + " halted after " + o.plan().failed() + " failure(s) (maxFailures "
            + policy.getSpec().getRollout().getMaxFailures() + "): " + PolicyStatusBuilder.failuresText(o.plan())
            + "; " + o.pending() + " node(s) keep their previous configuration";
        events.warning(policy, Reasons.ROLLOUT_HALTED, msg);
        log.warn("policy {}: {}", policy.getMetadata().getName(), msg);
      }
      case COMPLETE -> {
        if (o.matched() > 0) {
          events.normal(policy, Reasons.ROLLOUT_COMPLETE, "generation " + o.generation() + " applied on " + o.plan().applied()
              + " of " + o.matched() + " node(s)" + (o.plan().failed() > 0 ? ", " + o.plan().failed() + " failed" : ""));
        }
      }
      case PENDING -> events.warning(policy, o.blockerReason(), o.blocker());
      default -> { }
    }
  }
}
