package io.eniroute.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.Conditions;
import io.eniroute.crds.v1alpha1.NodeFailure;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicyStatus;
import io.eniroute.crds.v1alpha1.Reasons;
import io.eniroute.operator.rollout.PolicyStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 6: writes a policy's status when it changed: compares with the status in the cache,
 * paces progress-only changes ({@link StatusPacer}), patches and caches ({@link StatusPatcher}).
 * Also the two statuses outside a rollout: Deleting while nodes revert, and the error status
 * JOSDK asks for when a reconcile failed.
 */
final class PolicyStatusRecorder {
  /** The least time between two status writes that only move a rollout's progress counts. */
  static final Duration PROGRESS_STATUS_INTERVAL = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(PolicyStatusRecorder.class);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final StatusPatcher patcher;
  private final StatusPacer pacer = new StatusPacer(PROGRESS_STATUS_INTERVAL);
  private final PolicyStatusBuilder builder = new PolicyStatusBuilder();
  private final Clock clock;

  PolicyStatusRecorder(StatusPatcher patcher, Clock clock) {
    this.patcher = patcher;
    this.clock = clock;
  }

  /** Writes {@code status} unless unchanged; returns when a deferred progress-only write is due. */
  Optional<Duration> record(NodeNetworkPolicy policy, Context<NodeNetworkPolicy> context, NodeNetworkPolicyStatus status) {
    String name = policy.getMetadata().getName();
    NodeNetworkPolicyStatus previous = policy.getStatus();
    if (same(previous, status)) {
      return Optional.empty();
    }
    Optional<Duration> due = pacer.deferral(name, previous, status, clock.instant());
    if (due.isPresent()) {
      return due;
    }
    patcher.patch(policy, context, status);
    pacer.written(name, clock.instant());
    log.info("policy {} generation {}: {} - {}", name, status.getObservedGeneration(), status.getPhase().value(),
        status.getConditions().get(0).getMessage());
    return Optional.empty();
  }

  /** Shows the deletion (phase Deleting) while agents revert; written once per change, never fatal. */
  void recordDeleting(NodeNetworkPolicy policy, Context<NodeNetworkPolicy> context, int remaining,
      List<NodeFailure> ec2Waiting) {
    NodeNetworkPolicyStatus status = builder.deleting(policy.getStatus(), policy.getMetadata().getGeneration(), remaining,
        ec2Waiting, clock.instant());
    if (same(policy.getStatus(), status)) {
      return;
    }
    try {
      patcher.patch(policy, context, status);
    } catch (RuntimeException e) {
      log.warn("policy {}: could not show the deletion in the status: {}", policy.getMetadata().getName(), e.getMessage());
    }
  }

  /**
   * The status after a failed reconcile: Degraded=True with reason ReconcileFailed, the error and
   * the attempt number, everything else as it was (the rollout itself did not change).
   */
  NodeNetworkPolicyStatus errorStatus(NodeNetworkPolicy policy, Exception error, int attempt) {
    NodeNetworkPolicyStatus status = policy.getStatus() == null ? new NodeNetworkPolicyStatus() : copy(policy.getStatus());
    var conditions = Conditions.copyOf(status.getConditions());
    String message = "reconcile attempt " + attempt + " failed: " + describe(error) + "; the operator retries with backoff";
    Conditions.set(conditions, Api.DEGRADED, true, Reasons.RECONCILE_FAILED, message, policy.getMetadata().getGeneration(),
        clock.instant());
    status.setConditions(conditions);
    return status;
  }

  void forget(String policy) {
    pacer.forget(policy);
  }

  private static String describe(Exception e) {
    StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable s : e.getSuppressed()) {
      out.append("; also: ").append(s.getMessage());
    }
    return out.toString();
  }

  private static boolean same(NodeNetworkPolicyStatus a, NodeNetworkPolicyStatus b) {
    return a != null && JSON.convertValue(a, JsonNode.class).equals(JSON.convertValue(b, JsonNode.class));
  }

  private static NodeNetworkPolicyStatus copy(NodeNetworkPolicyStatus s) {
    return JSON.unmarshal(JSON.asJson(s), NodeNetworkPolicyStatus.class);
  }
}
