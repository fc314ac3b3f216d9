package io.eniroute.operator.reconciler;

import io.eniroute.operator.rollout.RolloutOutcome;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus figures: nodes per policy by rollout state, rollout progress (ready / matched) and
 * reconcile duration. Gauges read values this class keeps, updated once per reconcile.
 */
public final class RolloutMetrics {
  static final String NODES = "eniroute_policy_nodes";
  static final String PROGRESS = "eniroute_rollout_progress_ratio";
  static final String GENERATION = "eniroute_policy_observed_generation";
  static final String RECONCILE = "eniroute_reconcile";

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

  public RolloutMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void reconciled(String policy, Duration took, String result) {
    Timer.builder(RECONCILE).description("Time one NodeNetworkPolicy reconcile took")
        .tags("policy", policy, "result", result).register(registry).record(took);
  }

  public void observe(String policy, RolloutOutcome o) {
    int ready = o.plan() == null ? 0 : o.plan().applied();
    int failed = o.plan() == null ? 0 : o.plan().failed();
    int updating = o.plan() == null ? 0 : o.plan().updating() + o.handed().size();
    set(policy, "matched", o.matched());
    set(policy, "ready", ready);
    set(policy, "updating", updating);
    set(policy, "failed", failed);
    set(policy, "pending", o.pending());
    gauge(PROGRESS, "Share of the policy's nodes that applied its current generation",
        Tags.of("policy", policy), policy + "/progress").set(o.matched() == 0 ? 1000 : 1000L * ready / o.matched());
    gauge(GENERATION, "Policy generation the status describes", Tags.of("policy", policy), policy + "/generation")
        .set(o.generation() * 1000);
  }

  /** Stops reporting a deleted policy. */
  public void forget(String policy) {
    registry.getMeters().stream()
        .filter(m -> policy.equals(m.getId().getTag("policy")))
        .forEach(registry::remove);
    values.keySet().removeIf(k -> k.startsWith(policy + "/"));
  }

  private void set(String policy, String state, long count) {
    gauge(NODES, "Nodes of a policy by rollout state", Tags.of("policy", policy, "state", state), policy + "/" + state)
        .set(count * 1000);
  }

  /** Values are kept in thousandths so one AtomicLong serves counts and ratios. */
  private AtomicLong gauge(String name, String description, Tags tags, String key) {
    return values.computeIfAbsent(key, k -> {
      AtomicLong v = new AtomicLong();
      Gauge.builder(name, v, x -> x.get() / 1000.0).description(description).tags(tags).register(registry);
      return v;
    });
  }
}
