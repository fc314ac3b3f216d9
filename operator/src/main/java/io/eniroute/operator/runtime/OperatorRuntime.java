package io.eniroute.operator.runtime;

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
public final class OperatorRuntime implements AutoCloseable {

  /**
   * @param leaseName null disables leader election
   * @param leaseIdentity this replica's name in the Lease; null: the pod's host name
   * @param leaseDuration how long a silent leader keeps the Lease (renew deadline 2/3, retry 1/5 of it)
   * @param exitOnStopLeading true in production: a replica that lost the Lease exits and restarts clean
   * @param useServerSideApply false only for API servers without server-side apply
   */
  public record Settings(String leaseName, String leaseNamespace, String leaseIdentity, Duration leaseDuration,
      boolean exitOnStopLeading, boolean useServerSideApply, int reconcileThreads) {
    public static Settings forTests() {
      return new Settings(null, null, null, null, false, true, 5);
    }

    public static Settings production(String leaseName, String leaseNamespace, boolean useServerSideApply) {
      return new Settings(leaseName, leaseNamespace, System.getenv("HOSTNAME"), Duration.ofSeconds(15), true,
          useServerSideApply, 10);
    }
  }

  private final Operator operator;

  public OperatorRuntime(KubernetesClient client, PolicyReconciler reconciler, Settings settings) {
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(settings.useServerSideApply())
          .withSSABasedCreateUpdateMatchForDependentResources(settings.useServerSideApply())
          .withConcurrentReconciliationThreads(settings.reconcileThreads())
          .withStopOnInformerErrorDuringStartup(true)
          .withCacheSyncTimeout(Duration.ofMinutes(2));
      if (settings.leaseName() != null) {
        Duration lease = settings.leaseDuration();
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(settings.leaseName(), settings.leaseNamespace(),
            lease, lease.multipliedBy(2).dividedBy(3), lease.dividedBy(5), settings.leaseIdentity(), null,
            settings.exitOnStopLeading()));
      }
    });
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
    return started() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
