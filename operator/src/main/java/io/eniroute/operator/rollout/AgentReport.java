package io.eniroute.operator.rollout;

import io.eniroute.crds.v1alpha1.AgentResult;
import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads what a node's agent reported in a NodeNetworkConfig's status. A report only counts when
 * it describes the config's current spec (observedGeneration == metadata.generation), so an old
 * report can never be mistaken for an answer to a new spec. See docs/operator.md, "Agent status
 * contract".
 */
public final class AgentReport {
  private AgentReport() {}

  /** A failure the agent reported for the config's current spec. */
  public record Failure(String reason, String message) {}

  /** The agent applied {@code spec.policyGeneration} of this exact spec. */
  public static boolean applied(NodeNetworkConfig config) {
    NodeNetworkConfigStatus s = config.getStatus();
    Long wanted = config.getSpec().getPolicyGeneration();
    return s != null && wanted != null && wanted.equals(s.getAppliedPolicyGeneration())
        && conditionTrue(config, Api.APPLIED).isPresent();
  }

  /** The agent rolled back or is degraded on this exact spec. */
  public static Optional<Failure> failure(NodeNetworkConfig config) {
    for (String type : new String[] {Api.ROLLED_BACK, Api.DEGRADED}) {
      Optional<Condition> c = conditionTrue(config, type);
      if (c.isPresent()) {
        return Optional.of(new Failure(type, messageOf(c.get())));
      }
    }
    NodeNetworkConfigStatus s = config.getStatus();
    if (s != null && current(config, s.getObservedGeneration())
        && (s.getResult() == AgentResult.ROLLED_BACK || s.getResult() == AgentResult.DEGRADED)) {
      return Optional.of(new Failure(s.getResult().value(), "the agent reported " + s.getResult().value()));
    }
    return Optional.empty();
  }

  /** The agent removed everything for an {@code absent} spec. */
  public static boolean reverted(NodeNetworkConfig config) {
    NodeNetworkConfigStatus s = config.getStatus();
    return config.getSpec().getState() == ConfigState.ABSENT
        && s != null && s.getResult() == AgentResult.REVERTED && current(config, s.getObservedGeneration());
  }

  private static Optional<Condition> conditionTrue(NodeNetworkConfig config, String type) {
    NodeNetworkConfigStatus s = config.getStatus();
    if (s == null || s.getConditions() == null) {
      return Optional.empty();
    }
    return s.getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .filter(c -> current(config, c.getObservedGeneration()))
        .findFirst();
  }

  private static boolean current(NodeNetworkConfig config, Long observed) {
    return observed != null && Objects.equals(observed, config.getMetadata().getGeneration());
  }

  private static String messageOf(Condition c) {
    String reason = c.getReason() == null ? "" : c.getReason();
    String message = c.getMessage() == null ? "" : c.getMessage();
    String joined = reason.isEmpty() ? message : message.isEmpty() ? reason : reason + ": " + message;
    return joined.isEmpty() ? "no message from the agent" : joined;
  }
}
