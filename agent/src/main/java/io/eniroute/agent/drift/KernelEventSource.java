package io.eniroute.agent.drift;

import io.eniroute.agent.kernel.Kernel;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** A stream of kernel routing events (the real one is {@link KernelMonitor}; tests use a fake). */
public interface KernelEventSource extends AutoCloseable {

  /** Starts delivering events to {@code sink} from a background thread; returns at once. */
  void start(Consumer<KernelEvent> sink);

  /** False when the source stopped delivering by itself (its thread died): drift goes unseen. */
  default boolean alive() {
    return true;
  }

  /** Stops delivering; idempotent. */
  @Override
  void close();

  /** How often {@link #watching} reads the sysctls: well inside the one second drift is healed in. */
  Duration SYSCTL_PERIOD = Duration.ofMillis(250);

  /** What the agent watches in one namespace: {@code ip monitor} and the sysctls it sets. */
  static KernelEventSource watching(Kernel kernel) {
    return both(new KernelMonitor(kernel.netns()), new SysctlWatch(kernel, SYSCTL_PERIOD));
  }

  /** Events of both sources; alive while both are. */
  static KernelEventSource both(KernelEventSource a, KernelEventSource b) {
    return new KernelEventSource() {
      @Override
      public void start(Consumer<KernelEvent> sink) {
        a.start(sink);
        b.start(sink);
      }

      @Override
      public boolean alive() {
        return a.alive() && b.alive();
      }

      @Override
      public void close() {
        for (KernelEventSource s : List.of(a, b)) {
          s.close();
        }
      }
    };
  }
}
