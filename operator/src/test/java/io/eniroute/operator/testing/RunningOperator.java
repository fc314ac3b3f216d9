package io.eniroute.operator.testing;

import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.reconciler.KubernetesEventRecorder;
import io.eniroute.operator.reconciler.PolicyReconciler;
import io.eniroute.operator.reconciler.RolloutMetrics;
import io.eniroute.operator.runtime.OperatorRuntime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Optional;

/** A real JOSDK operator with the policy reconciler on its own client, as a separate process would run it. */
public final class RunningOperator implements AutoCloseable {
  private final KubernetesClient client;
  private final OperatorRuntime runtime;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public RunningOperator(TestCluster cluster, Optional<AddressAllocator> allocator) {
    this(cluster.operatorClient(), allocator);
  }

  /** An operator on a client of the caller's (e.g. through a fault-injecting front); closed with it. */
  public RunningOperator(KubernetesClient client, Optional<AddressAllocator> allocator) {
    this.client = client;
    Clock clock = Clock.systemUTC();
    PolicyReconciler reconciler = new PolicyReconciler(clock, allocator,
        new KubernetesEventRecorder(client, clock, "default"), new RolloutMetrics(registry));
    runtime = new OperatorRuntime(client, reconciler, OperatorRuntime.Options.forTests());
    runtime.start();
  }

  public static RunningOperator start(TestCluster cluster) {
    return new RunningOperator(cluster, Optional.empty());
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    runtime.close();
    client.close();
  }
}
