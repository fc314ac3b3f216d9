package io.eniroute.agent.drift;

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
}
