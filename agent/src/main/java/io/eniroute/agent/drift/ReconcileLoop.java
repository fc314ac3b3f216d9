package io.eniroute.agent.drift;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.NodeRouting;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one node's routing at the desired spec: reconciles at start, when a relevant kernel
 * event arrives (debounced), when asked ({@link #requestReconcile()}, e.g. the config changed),
 * and every resync period as a backstop. One thread does every reconcile, so changes never
 * overlap.
 *
 * <p>The events our own batch causes are not suppressed: they coalesce into one debounced
 * verifying pass, which observes, finds nothing to do and writes nothing (so it causes no event).
 * That pass also catches anything someone else changed while we were applying.
 *
 * <p>{@link #close()} stops the loop and leaves the routing in place: a restarting agent must not
 * cause an outage. Removing the routing is an explicit {@link NodeRouting#revert()}.
 */
public final class ReconcileLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReconcileLoop.class);

  /**
   * @param resync full reconcile period (backstop for missed events), default 60 s
   * @param quiet a burst of events is reconciled once no event came for this long, default 100 ms
   * @param maxDelay ... but no later than this after its first event, default 500 ms
   * @param retry wait after a reconcile that threw, default 5 s
   */
  public record Timing(Duration resync, Duration quiet, Duration maxDelay, Duration retry) {
    public static Timing defaults() {
      return new Timing(Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5));
    }

    public Timing withResync(Duration d) {
      return new Timing(d, quiet, maxDelay, retry);
    }
  }

  private final NodeRouting routing;
  private final Supplier<Optional<NodeNetworkConfigSpec>> desired;
  private final Consumer<ApplyReport> listener;
  private final KernelEventSource events;
  private final Timing settings;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private boolean dirty;
  private boolean requested;
  private boolean stopped;
  private long firstEvent;
  private long lastEvent;
  private long nextResync;
  private volatile DriftScope scope = DriftScope.EVERYTHING;
  private volatile NodeNetworkConfigSpec lastSpec;
  private Thread thread;

  /**
   * @param routing the node's routing, normally a SafeNodeRouting around the engine
   * @param desired the spec to keep; empty means "keep the last one" (a control plane that is
   *     unreachable must never cause a revert); it is asked on every pass
   * @param listener gets every report (status, metrics, logs); runs on the loop thread, keep it short
   * @param events kernel events, normally a {@link KernelMonitor} for the same namespace
   */
  public ReconcileLoop(NodeRouting routing, Supplier<Optional<NodeNetworkConfigSpec>> desired,
      Consumer<ApplyReport> listener, KernelEventSource events, Timing settings) {
    this.routing = routing;
    this.desired = desired;
    this.listener = listener;
    this.events = events;
    this.settings = settings;
  }

  /** Runs the loop on its own thread ("reconcile-loop") and returns. */
  public synchronized ReconcileLoop start() {
    if (thread != null) {
      throw new IllegalStateException("loop already started");
    }
    thread = new Thread(this::run, "reconcile-loop");
    thread.start();
    return this;
  }

  /** Runs the loop on the calling thread until {@link #close()}. */
  public void run() {
    events.start(this::onEvent);
    String why = "start";
    while (true) {
      pass(why);
      why = awaitWork();
      if (why == null) {
        log.info("reconcile loop stopped; routing left in place");
        return;
      }
    }
  }

  /** Reconcile as soon as possible, without debounce (e.g. the desired spec changed). */
  public void requestReconcile() {
    lock.lock();
    try {
      requested = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The spec the loop last reconciled toward, if any. */
  public Optional<NodeNetworkConfigSpec> lastSpec() {
    return Optional.ofNullable(lastSpec);
  }

  /** Stops the loop (after the pass in progress, if any) and the event source; never touches routing. */
  @Override
  public void close() {
    lock.lock();
    try {
      stopped = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    events.close();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(TimeUnit.MINUTES.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  void onEvent(KernelEvent e) {
    if (!scope.relevant(e)) {
      return;
    }
    lock.lock();
    try {
      long now = System.nanoTime();
      if (!dirty) {
        dirty = true;
        firstEvent = now;
        log.debug("drift: {}", e.line());
      }
      lastEvent = now;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Blocks until there is a reason to reconcile (returned) or the loop is stopped (null). */
  private String awaitWork() {
    lock.lock();
    try {
      while (!stopped) {
        long now = System.nanoTime();
        if (requested) {
          requested = false;
          dirty = false;
          return "request";
        }
        long wait = nextResync - now;
        if (dirty) {
          long due = Math.min(lastEvent + settings.quiet().toNanos(), firstEvent + settings.maxDelay().toNanos());
          if (due <= now) {
            dirty = false;
            return "kernel change";
          }
          wait = Math.min(wait, due - now);
        }
        if (wait <= 0) {
          return "resync";
        }
        wake.awaitNanos(wait);
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      lock.unlock();
    }
  }

  private void pass(String why) {
    long now = System.nanoTime();
    try {
      Optional<NodeNetworkConfigSpec> wanted = desiredOrEmpty();
      wanted.ifPresent(s -> lastSpec = s);
      NodeNetworkConfigSpec spec = lastSpec;
      if (spec == null) {
        log.info("no config yet ({}); waiting", why);
        nextResync = now + settings.resync().toNanos();
        return;
      }
      ApplyReport report = routing.reconcile(spec);
      scope = new DriftScope(spec, report);
      nextResync = System.nanoTime() + settings.resync().toNanos();
      if (report.ok() && report.kernelWrites() == 0) { // nothing to do (NO_CHANGE, or nothing left to revert)
        log.debug("reconcile ({}): no change", why);
      } else {
        log.info("reconcile ({}): {} with {} kernel writes in {} ms{}", why, report.outcome(), report.kernelWrites(),
            report.durationMillis(), report.ok() ? "" : ": " + report.message());
      }
      notifyListener(report);
    } catch (RuntimeException e) {
      log.error("reconcile ({}) failed: {}; retrying in {} s", why, e.toString(), settings.retry().toSeconds(), e);
      nextResync = System.nanoTime() + settings.retry().toNanos();
    }
  }

  private Optional<NodeNetworkConfigSpec> desiredOrEmpty() {
    try {
      Optional<NodeNetworkConfigSpec> s = desired.get();
      return s == null ? Optional.empty() : s;
    } catch (RuntimeException e) {
      log.warn("cannot get the desired config ({}); keeping the last one", e.toString());
      return Optional.empty();
    }
  }

  private void notifyListener(ApplyReport report) {
    try {
      listener.accept(report);
    } catch (RuntimeException e) {
      log.warn("report listener failed: {}", e.toString());
    }
  }
}
