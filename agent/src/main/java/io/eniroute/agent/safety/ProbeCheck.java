package io.eniroute.agent.safety;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the probes of one check in parallel under one overall deadline. When only some probes
 * matter (after a change: those that passed before), the check ends as soon as those are done,
 * so a probe that never passes does not hold the node for the whole timeout.
 */
public final class ProbeCheck {
  private static final long GRACE_NANOS = 1_500_000_000L;
  private final Prober prober;

  public ProbeCheck(Prober prober) {
    this.prober = prober;
  }

  /** Every probe, waiting for all of them (at most {@code deadline}). */
  public List<ProbeOutcome> run(List<ProbeTarget> targets, Duration deadline) {
    return run(targets, deadline, null);
  }

  /**
   * @param required names of the probes to wait for; null = all. The others are reported as
   *     they stand when the required ones are done (failed "not finished" if still running).
   */
  public List<ProbeOutcome> run(List<ProbeTarget> targets, Duration deadline, Set<String> required) {
    if (targets.isEmpty()) {
      return List.of();
    }
    // Each probe bounds itself by the deadline and says why it failed ("no reply in 10s"); the
    // grace only covers process start/stop, so the check still ends close to the deadline.
    long end = System.nanoTime() + deadline.toNanos() + GRACE_NANOS;
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(targets.size(), 64), r -> {
      Thread t = new Thread(r, "probe");
      t.setDaemon(true);
      return t;
    });
    try {
      // Required probes go first, so with many targets (15 ENIs x 50 addresses) a queue of
      // probes that will never answer cannot starve them into a false failure.
      Map<ProbeTarget, Future<ProbeOutcome>> submitted = new LinkedHashMap<>();
      for (ProbeTarget t : targets) {
        if (required == null || required.contains(t.name())) {
          submitted.put(t, pool.submit(() -> prober.probe(t, deadline)));
        }
      }
      for (ProbeTarget t : targets) {
        if (!submitted.containsKey(t)) {
          submitted.put(t, pool.submit(() -> prober.probe(t, deadline)));
        }
      }
      Map<ProbeTarget, Future<ProbeOutcome>> futures = new LinkedHashMap<>();
      targets.forEach(t -> futures.put(t, submitted.get(t)));
      List<ProbeOutcome> out = new ArrayList<>();
      for (var e : futures.entrySet()) {
        boolean wait = required == null || required.contains(e.getKey().name());
        out.add(await(e.getKey(), e.getValue(), wait ? end : System.nanoTime(), wait, deadline));
      }
      // Probes not waited for may have finished meanwhile: give them their real result.
      for (int i = 0; i < out.size(); i++) {
        Future<ProbeOutcome> f = futures.get(out.get(i).target());
        if (f.isDone() && !f.isCancelled() && !out.get(i).passed()) {
          out.set(i, await(out.get(i).target(), f, System.nanoTime(), false, deadline));
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static ProbeOutcome await(
      ProbeTarget t, Future<ProbeOutcome> f, long end, boolean waited, Duration deadline) {
    try {
      return f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return waited
          ? new ProbeOutcome(t, false, t.describe() + ": no reply in " + deadline.toSeconds() + "s", deadline.toMillis())
          : new ProbeOutcome(t, false, t.describe() + ": not finished (not required by this check)", 0);
    } catch (ExecutionException e) {
      return new ProbeOutcome(t, false, t.describe() + ": " + e.getCause(), 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ProbeOutcome(t, false, t.describe() + ": interrupted", 0);
    }
  }
}
