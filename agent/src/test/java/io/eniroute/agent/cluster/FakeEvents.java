package io.eniroute.agent.cluster;

import io.eniroute.agent.drift.KernelEvent;
import io.eniroute.agent.drift.KernelEventSource;
import java.util.function.Consumer;

/** Kernel events on demand. */
final class FakeEvents implements KernelEventSource {
  private volatile Consumer<KernelEvent> sink;

  @Override
  public void start(Consumer<KernelEvent> sink) {
    this.sink = sink;
  }

  /** Something changed in the kernel (an event every scope finds relevant). */
  void drift() {
    sink.accept(KernelEvent.parse("monitor restarted"));
  }

  @Override
  public void close() {
    sink = e -> { };
  }
}
