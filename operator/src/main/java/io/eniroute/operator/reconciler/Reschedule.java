package io.eniroute.operator.reconciler;

import io.eniroute.operator.rollout.RolloutOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The last step: when to look at a policy again if no event comes. The earliest of: a node's
 * deadline (a silent agent sends no event), the timeout of nodes just handed out, the EC2 retry
 * while EC2 work is incomplete, nodes are being retired or their retired surplus released (or
 * wait out a NotReady timeout), and a deferred status write.
 */
final class Reschedule {
  /** How often a policy waiting on EC2 looks again (an allocation that finishes wakes it at once). */
  static final Duration AWS_RETRY = Duration.ofSeconds(15);
  /** How often a deleting policy re-checks when no event arrives (e.g. a silent agent). */
  static final Duration CLEANUP_RECHECK = Duration.ofSeconds(30);

  private Reschedule() {}

  static Optional<Duration> after(RolloutOutcome o, Optional<Duration> nodeTimeout, int retiring, Optional<Duration> statusDue,
      Instant now) {
    Duration next = null;
    if (o.plan() != null && o.plan().nextDeadline().isPresent()) {
      next = Duration.between(now, o.plan().nextDeadline().get()).plusMillis(100);
    }
    if (!o.handed().isEmpty() && nodeTimeout.isPresent()) {
      next = min(next, nodeTimeout.get().plusMillis(100));
    }
    if (!o.awsWaiting().isEmpty() || !o.allocating().isEmpty() || retiring > 0) {
      next = min(next, AWS_RETRY);
    }
    if (statusDue.isPresent()) {
      next = min(next, statusDue.get());
    }
    return Optional.ofNullable(next).map(d -> d.isNegative() ? Duration.ofMillis(100) : d);
  }

  private static Duration min(Duration a, Duration b) {
    return a == null || b.compareTo(a) < 0 ? b : a;
  }
}
