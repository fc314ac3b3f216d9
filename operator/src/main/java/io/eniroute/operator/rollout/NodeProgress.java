package io.eniroute.operator.rollout;

import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.Reasons;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one node stands in the rollout of a policy generation, derived only from its
 * NodeNetworkConfig (spec, agent status, the hand-out annotation) and the clock.
 */
public record NodeProgress(String node, Kind kind, String reason, String message, Instant handedAt) {

  public enum Kind {
    /** No config from this policy yet, or one carrying an older generation (or absent). */
    NOT_HANDED,
    /** Handed the generation; the agent has not answered yet and the deadline has not passed. */
    UPDATING,
    /** The agent reported the generation Applied. */
    APPLIED,
    /** The agent reported Degraded/RolledBack, or stayed silent past the deadline. */
    FAILED
  }

  /** Annotation holding the instant the node was handed its current spec (RFC 3339). */
  public static final String HANDED_AT = "eniroute.io/handed-at";

  /** Where {@code node} stands; a failure under another retry token than {@code retryToken} counts as not handed. */
  public static NodeProgress of(String node, NodeNetworkConfig config, long generation, Duration timeout, String retryToken,
      Instant now) {
    if (config == null || config.getSpec().getState() == ConfigState.ABSENT
        || config.getSpec().getPolicyGeneration() == null || config.getSpec().getPolicyGeneration() != generation) {
      return new NodeProgress(node, Kind.NOT_HANDED, null, null, null);
    }
    Instant handedAt = handedAt(config).orElse(null);
    if (AgentReport.applied(config)) {
      return new NodeProgress(node, Kind.APPLIED, null, null, handedAt);
    }
    boolean retried = !Objects.equals(retryToken, config.getSpec().getRetryToken());
    Optional<AgentReport.Failure> failure = AgentReport.failure(config);
    if (failure.isPresent() && retried) {
      return new NodeProgress(node, Kind.NOT_HANDED, null, null, null);
    }
    if (failure.isPresent()) {
      return new NodeProgress(node, Kind.FAILED, failure.get().reason(), failure.get().message(), handedAt);
    }
    // The operator always writes the annotation; a config without it (edited by hand) never times out.
    if (handedAt != null && now.isAfter(handedAt.plus(timeout))) {
      if (retried) {
        return new NodeProgress(node, Kind.NOT_HANDED, null, null, null);
      }
      return new NodeProgress(node, Kind.FAILED, Reasons.TIMEOUT,
          "the agent did not report generation " + generation + " within " + timeout.toSeconds() + "s", handedAt);
    }
    return new NodeProgress(node, Kind.UPDATING, null, null, handedAt);
  }

  static Optional<Instant> handedAt(NodeNetworkConfig config) {
    Map<String, String> annotations = config.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(HANDED_AT);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Timestamps.parse(value));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
