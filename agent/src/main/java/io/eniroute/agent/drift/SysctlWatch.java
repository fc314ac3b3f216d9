package io.eniroute.agent.drift;

import io.eniroute.agent.kernel.Kernel;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the per-interface sysctls eniroute sets (rp_filter, arp_ignore, arp_announce, and
 * {@code all}'s, which decides the effective rp_filter): the kernel sends no {@code ip monitor}
 * event when one is written, so without this a change would wait for the resync. Every
 * {@code period} it reads them and sends one event per value that changed (as a LINK event of
 * that interface, so the drift scope decides like for a link change). A key that appears or
 * disappears is a link coming or going, which the monitor reports itself.
 */
public final class SysctlWatch implements KernelEventSource {
  private static final Logger log = LoggerFactory.getLogger(SysctlWatch.class);

  private final Kernel kernel;
  private final Duration period;
  private ScheduledExecutorService timer;
  private Map<String, String> last;
  private boolean closed;

  public SysctlWatch(Kernel kernel, Duration period) {
    this.kernel = kernel;
    this.period = period;
  }

  @Override
  public synchronized void start(Consumer<KernelEvent> sink) {
    if (timer != null) {
      throw new IllegalStateException("sysctl watch already started");
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sysctl-watch");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> poll(sink), 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void poll(Consumer<KernelEvent> sink) {
    try {
      Map<String, String> now = kernel.sysctls();
      Map<String, String> before = last;
      last = now;
      if (before == null) {
        return;
      }
      now.forEach((key, value) -> {
        String old = before.get(key);
        if (old != null && !Objects.equals(old, value)) {
          sink.accept(KernelEvent.sysctl(key, old, value));
        }
      });
    } catch (RuntimeException e) {
      // A failed read (the namespace went away, a busy kernel) is retried next period; a failed
      // handler must not stop the timer either.
      log.debug("sysctl watch: {}", e.toString());
    }
  }

  /** Not started, closed on purpose, or its timer still runs (a poll never throws out of it). */
  @Override
  public synchronized boolean alive() {
    return timer == null || closed || !timer.isShutdown();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
