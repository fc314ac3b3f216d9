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
   * @param useServerSideApply false for API servers without server-side apply (the fabric8 mock)
   */
  public record Settings(String leaseName, String leaseNamespace, boolean useServerSideApply, int reconcileThreads) {
    public static Settings forTests() {
      return new Settings(null, null, false, 5);
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
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(settings.leaseName(), settings.leaseNamespace()));
      }
    });
    operator.register(reconciler, c -> c
        // Failures (API errors) retry with backoff from 2 s up to 2 min, without giving up.
        .withRetry(new GenericRetry().setInitialInterval(2000).setIntervalMultiplier(2).setMaxInterval(120_000).withoutMaxAttempts())
        // At most 20 reconciles per policy per second: a thousand agent reports coalesce instead of queueing.
        .withRateLimiter(new LinearRateLimiter(Duration.ofSeconds(1), 20))
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
