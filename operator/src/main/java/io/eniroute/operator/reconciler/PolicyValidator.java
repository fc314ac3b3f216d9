package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.Reasons;
import io.eniroute.crds.v1alpha1.RolloutSettings;
import io.eniroute.operator.rollout.LabelSelectors;
import io.eniroute.operator.rollout.RolloutPlanner;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Step 1: is the policy one the operator can roll out at all? A problem blocks the whole policy,
 * before any node is touched, with a reason and a sentence naming the field and the fix.
 */
final class PolicyValidator {
  private static final String NOTHING_CHANGED = "; nothing was changed on any node";

  /** What stops a policy, for its status and its Warning event. */
  record Blocker(String reason, String message) {}

  /** Either the policy's rollout rules or what blocks it. */
  record Verdict(Optional<RolloutPlanner.Rules> rules, Optional<Blocker> blocker) {}

  private final boolean ec2Access;

  PolicyValidator(boolean ec2Access) {
    this.ec2Access = ec2Access;
  }

  Verdict validate(NodeNetworkPolicy policy) {
    Optional<String> selectorProblem = LabelSelectors.problem(policy.getSpec().getNodeSelector());
    if (selectorProblem.isPresent()) {
      return blocked(Reasons.INVALID_SELECTOR, selectorProblem.get() + NOTHING_CHANGED);
    }
    String retry = retryToken(policy);
    if (retry != null && retry.length() > Api.RETRY_TOKEN_MAX_LENGTH) {
      return blocked(Reasons.INVALID_RETRY, "annotation " + Api.RETRY_ANNOTATION + " has " + retry.length()
          + " characters, at most " + Api.RETRY_TOKEN_MAX_LENGTH + " are allowed; use a short value such as a timestamp"
          + NOTHING_CHANGED);
    }
    if (policy.getSpec().getAws() != null && !ec2Access) {
      return blocked(Reasons.AWS_NOT_CONFIGURED, "spec.aws is set but this operator runs without EC2 access; start it with --aws "
          + "(and IAM permissions, see docs/operator.md) or remove spec.aws" + NOTHING_CHANGED);
    }
    try {
      return new Verdict(Optional.of(rules(policy)), Optional.empty());
    } catch (IllegalArgumentException e) {
      return blocked(Reasons.INVALID_ROLLOUT, e.getMessage() + NOTHING_CHANGED);
    }
  }

  private static Verdict blocked(String reason, String message) {
    return new Verdict(Optional.empty(), Optional.of(new Blocker(reason, message)));
  }

  private static RolloutPlanner.Rules rules(NodeNetworkPolicy policy) {
    RolloutSettings r = policy.getSpec().getRollout() == null ? new RolloutSettings() : policy.getSpec().getRollout();
    int timeout = r.getNodeTimeoutSeconds() == null ? 300 : r.getNodeTimeoutSeconds();
    int maxFailures = r.getMaxFailures() == null ? 0 : r.getMaxFailures();
    RolloutPlanner.resolve(r.getMaxUnavailable(), 1); // validates now, with a message naming the field
    return new RolloutPlanner.Rules(policy.getMetadata().getGeneration(), r.getMaxUnavailable(), maxFailures,
        Duration.ofSeconds(timeout), retryToken(policy));
  }

  /** The policy's eniroute.io/retry annotation, null when unset. */
  static String retryToken(NodeNetworkPolicy policy) {
    Map<String, String> annotations = policy.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(Api.RETRY_ANNOTATION);
  }
}
