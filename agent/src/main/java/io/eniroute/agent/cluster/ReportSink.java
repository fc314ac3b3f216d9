package io.eniroute.agent.cluster;

import io.eniroute.agent.observability.AgentMetrics;
import io.eniroute.agent.observability.Health;
import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigStatus;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where every report of the reconcile loop goes: metrics, readiness, an Event when something
 * happened (NodeEvent), and the status of the config it was for (when that config exists on the
 * server). Runs on the loop thread; the status
 * write itself is queued, never awaited.
 */
final class ReportSink implements Consumer<ApplyReport> {
  private final Supplier<Target> target;
  private final StatusBuilder builder = new StatusBuilder();
  private final StatusWriter writer;
  private final AgentMetrics metrics;
  private final Health health;
  private final Clock clock;
  private final Consumer<NodeEvent> events;
  private Target previous;

  ReportSink(Supplier<Target> target, StatusWriter writer, AgentMetrics metrics, Health health, Clock clock,
      Consumer<NodeEvent> events) {
    this.target = target;
    this.events = events;
    this.writer = writer;
    this.metrics = metrics;
    this.health = health;
    this.clock = clock;
  }

  /**
   * A pass toward {@code t} is about to run. When it is for a generation whose status was not
   * reported yet (a spec change, not a resync or a drift repair of a reported one), says
   * Pending for it first; the pass's result follows and wins (the writer sends the newest).
   */
  void starting(Target t) {
    if (t == null || !t.writable() || t.generation() == null) {
      return;
    }
    NodeNetworkConfigStatus base = writer.base(t.name(), t.serverStatus());
    if (base == null || !t.generation().equals(base.getObservedGeneration())) {
      writer.submit(t.name(), builder.pending(base, t, clock.instant()), t.serverStatus());
    }
  }

  @Override
  public void accept(ApplyReport r) {
    Target t = target.get(); // null: a pass toward the loop's remembered spec with nothing handed out now
    boolean newDesire = t != null && !t.sameDesire(previous);
    metrics.record(r, newDesire);
    if (t != null) {
      previous = t;
      NodeEvent.of(r, t, newDesire).ifPresent(events);
    }
    health.report(r);
    if (t != null && t.writable()) {
      NodeNetworkConfigStatus base = writer.base(t.name(), t.serverStatus());
      writer.submit(t.name(), builder.build(base, t, r, clock.instant()), t.serverStatus());
    }
  }
}
