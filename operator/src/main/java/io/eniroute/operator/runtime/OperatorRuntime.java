package io.eniroute.operator.runtime;

import io.eniroute.common.Probes;
import io.eniroute.operator.reconciler.PolicyReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.event.rate.LinearRateLimiter;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;

/**
 * Builds the JOSDK operator around the policy reconciler: one place for client, leader election,
 * SSA, retry and rate limits, used by {@code OperatorMain}, the tests and the benchmark alike.
 */
public final class OperatorRuntime implements Probes, AutoCloseable {

  /**
   * @param leaseName null disables leader election
   * @param leaseIdentity this replica's name in the Lease; null: the pod's host name
   * @param leaseDuration how long a silent leader keeps the Lease (renew deadline 2/3, retry 1/5 of it)
   * @param exitOnStopLeading true in production: a replica that lost the Lease exits and restarts clean
   * @param useServerSideApply JOSDK's default, on; false only for API servers without server-side apply
   */
  public record Options(String leaseName, String leaseNamespace, String leaseIdentity, Duration leaseDuration,
      boolean exitOnStopLeading, boolean useServerSideApply, int reconcileThreads) {
    public static Options forTests() {
      return new Options(null, null, null, null, false, true, 5);
    }

    public static Options production(String leaseName, String leaseNamespace, boolean useServerSideApply) {
      return new Options(leaseName, leaseNamespace, System.getenv("HOSTNAME"), Duration.ofSeconds(15), true,
          useServerSideApply, 10);
    }
  }

  private final Operator operator;
  private final PolicyReconciler reconciler;

  public OperatorRuntime(KubernetesClient client, PolicyReconciler reconciler, Options options) {
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          // JOSDK adds its finalizer by force-applying a fresh NodeNetworkPolicy: that is safe only
          // because the resources initialize no spec (a default spec there overwrote users' fields).
          .withUseSSAToPatchPrimaryResource(options.useServerSideApply())
          .withSSABasedCreateUpdateMatchForDependentResources(options.useServerSideApply())
          .withConcurrentReconciliationThreads(options.reconcileThreads())
          .withStopOnInformerErrorDuringStartup(true)
          .withCacheSyncTimeout(Duration.ofMinutes(2));
      if (options.leaseName() != null) {
        Duration lease = options.leaseDuration();
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(options.leaseName(), options.leaseNamespace(),
            lease, lease.multipliedBy(2).dividedBy(3), lease.dividedBy(5), options.leaseIdentity(), null,
            options.exitOnStopLeading()));
      }
    });
    this.reconciler = reconciler;
    operator.register(reconciler, c -> c
        // Failures (API errors) retry with backoff from 2 s up to 2 min, without giving up.
        .withRetry(new GenericRetry().setInitialInterval(2000).setIntervalMultiplier(2).setMaxInterval(120_000).withoutMaxAttempts())
        // A guard against a reconcile that keeps waking itself: at most 10 per policy per 200 ms.
        // Agent reports already coalesce (JOSDK merges events that arrive during a reconcile); a
        // 1 s period held a busy rollout's next wave back by up to a second once it was hit.
        .withRateLimiter(new LinearRateLimiter(Duration.ofMillis(200), 10))
        .withReconciliationMaxInterval(Duration.ofMinutes(5)));
  }

  public void start() {
    operator.start();
  }

  public boolean started() {
    return operator.getRuntimeInfo().isStarted();
  }

  public boolean healthy() {
    return notReadyReason() == null;
  }

  /** The process answers: nothing in it stops /healthz that a restart would fix. */
  @Override
  public String notLiveReason() {
    return null;
  }

  @Override
  public String notReadyReason() {
    if (!started()) {
      return "not ready: the operator has not started (it checks the CRDs first)";
    }
    if (!operator.getRuntimeInfo().allEventSourcesAreHealthy()) {
      return "not ready: an informer is unhealthy: " + operator.getRuntimeInfo().unhealthyEventSources().keySet();
    }
    return null;
  }

  @Override
  public void close() {
    operator.stop();
    reconciler.close();
  }
}
