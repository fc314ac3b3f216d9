package io.eniroute.agent.observability;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.crds.v1alpha1.ProbeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's Prometheus series, fed one {@link ApplyReport} at a time (see docs/agent-cluster.md):
 * <ul>
 *   <li>{@code eniroute_apply_duration_seconds} histogram, by outcome;
 *   <li>{@code eniroute_kernel_writes_total};
 *   <li>{@code eniroute_drift_repairs_total}: passes that had to write although the desired spec
 *       had not changed (someone or something changed the kernel);
 *   <li>{@code eniroute_rollbacks_total} and {@code eniroute_probe_failures_total}, counted once
 *       per probe run (a rolled-back spec that is only repeated on resync does not count again);
 *   <li>{@code eniroute_last_successful_apply_timestamp_seconds}.
 * </ul>
 * Not thread-safe for concurrent {@link #record} calls: the reconcile loop calls it from its one thread.
 */
public final class AgentMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Clock clock;
  private final Map<Outcome, Timer> durations = new EnumMap<>(Outcome.class);
  private final Counter kernelWrites;
  private final Counter driftRepairs;
  private final Counter rollbacks;
  private final Counter probeFailures;
  private final AtomicLong lastSuccessMillis = new AtomicLong();
  private List<ProbeResult> lastProbes = List.of();

  public AgentMetrics(Clock clock) {
    this.clock = clock;
    for (Outcome o : Outcome.values()) {
      durations.put(o, Timer.builder("eniroute.apply.duration")
          .description("Wall time of one reconcile or revert of the node's routing")
          .tag("outcome", o.name().toLowerCase(Locale.ROOT))
          .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(30), Duration.ofMillis(100),
              Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(10),
              Duration.ofSeconds(30))
          .register(registry));
    }
    kernelWrites = Counter.builder("eniroute.kernel.writes")
        .description("iproute2 commands and sysctl writes made").register(registry);
    driftRepairs = Counter.builder("eniroute.drift.repairs")
        .description("Passes that rewrote the kernel although the desired config had not changed").register(registry);
    rollbacks = Counter.builder("eniroute.rollbacks")
        .description("Changes undone because a probe that passed before failed after").register(registry);
    probeFailures = Counter.builder("eniroute.probe.failures")
        .description("Failed probes, counted once per probe run").register(registry);
    Gauge.builder("eniroute.last.successful.apply.timestamp", lastSuccessMillis, v -> v.get() / 1000.0)
        .description("Unix time (s) of the last reconcile that left the node as configured; 0 before the first")
        .baseUnit("seconds").register(registry);
  }

  /**
   * @param report what a pass did
   * @param specChanged whether the pass was toward a spec other than the previous pass's (a
   *     pass with writes toward the same spec is a drift repair)
   */
  public void record(ApplyReport report, boolean specChanged) {
    durations.get(report.outcome()).record(Duration.ofMillis(report.durationMillis()));
    kernelWrites.increment(report.kernelWrites());
    boolean applied = report.outcome() == Outcome.APPLIED || report.outcome() == Outcome.NO_CHANGE;
    if (applied && !specChanged && report.kernelWrites() > 0) {
      driftRepairs.increment();
    }
    if (applied || report.outcome() == Outcome.REVERTED) {
      lastSuccessMillis.set(clock.millis());
    }
    boolean freshProbeRun = !report.probes().isEmpty() && !sameProbes(report.probes(), lastProbes);
    if (freshProbeRun) {
      lastProbes = report.probes();
      probeFailures.increment(report.probes().stream().filter(p -> Boolean.FALSE.equals(p.getPassed())).count());
      if (report.outcome() == Outcome.ROLLED_BACK) {
        rollbacks.increment();
      }
    }
  }

  /** The Prometheus text exposition of every series. */
  public String scrape() {
    return registry.scrape();
  }

  private static boolean sameProbes(List<ProbeResult> a, List<ProbeResult> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      ProbeResult x = a.get(i);
      ProbeResult y = b.get(i);
      if (x != y && !(java.util.Objects.equals(x.getName(), y.getName()) && java.util.Objects.equals(x.getPassed(), y.getPassed())
          && java.util.Objects.equals(x.getMillis(), y.getMillis()) && java.util.Objects.equals(x.getMessage(), y.getMessage()))) {
        return false;
      }
    }
    return true;
  }
}
