package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.NodeNetworkPolicyStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Paces a policy's status writes during a rollout. Every agent answer wakes the policy, so a
 * rollout over thousands of nodes would patch the status hundreds of times, each patch on the
 * reconcile's path to the next wave. A change that only moves the progress counts (and the
 * messages quoting them) is written at most once per interval; anything else (phase, condition
 * status or reason, failing nodes, conflicts, generation, matched or failed counts) is written
 * at once. A deferred write is never lost: the reconcile is rescheduled for when it is due.
 */
final class StatusPacer {
  private final Duration interval;
  private final Map<String, Instant> lastWrite = new ConcurrentHashMap<>();

  StatusPacer(Duration interval) {
    this.interval = interval;
  }

  /** Empty: write now. Otherwise how long the progress-only change can wait. */
  Optional<Duration> deferral(String policy, NodeNetworkPolicyStatus written, NodeNetworkPolicyStatus next, Instant now) {
    Instant last = lastWrite.get(policy);
    if (last == null || !progressOnly(written, next)) {
      return Optional.empty();
    }
    Duration due = Duration.between(now, last.plus(interval));
    return due.isNegative() || due.isZero() ? Optional.empty() : Optional.of(due);
  }

  void written(String policy, Instant now) {
    lastWrite.put(policy, now);
  }

  void forget(String policy) {
    lastWrite.remove(policy);
  }

  static boolean progressOnly(NodeNetworkPolicyStatus a, NodeNetworkPolicyStatus b) {
    return a != null
        && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(a.getPhase(), b.getPhase())
        && Objects.equals(a.getMatchedNodes(), b.getMatchedNodes())
        && Objects.equals(a.getFailedNodes(), b.getFailedNodes())
        && failures(a).equals(failures(b))
        && conflicts(a).equals(conflicts(b))
        && verdicts(a.getConditions()).equals(verdicts(b.getConditions()));
  }

  private static List<String> failures(NodeNetworkPolicyStatus s) {
    return s.getFailingNodes().stream().map(f -> f.getNode() + "/" + f.getReason() + "/" + f.getMessage()).toList();
  }

  private static List<String> conflicts(NodeNetworkPolicyStatus s) {
    return s.getConflicts().stream().map(c -> c.getPolicy() + "/" + c.getNodeCount() + "/" + c.getNodes()).toList();
  }

  /** What each condition says, without its message (which quotes the counts) or timestamps. */
  private static List<String> verdicts(List<Condition> conditions) {
    return conditions.stream().map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason()).toList();
  }
}
