package io.eniroute.agent.drift;

import java.util.function.Consumer;

/** Events pushed by the test. */
final class FakeEvents implements KernelEventSource {
  private volatile Consumer<KernelEvent> sink;
  volatile boolean closed;

  @Override
  public void start(Consumer<KernelEvent> sink) {
    this.sink = sink;
  }

  boolean started() {
    return sink != null;
  }

  void emit(String line) {
    sink.accept(KernelEvent.parse(line));
  }

  @Override
  public void close() {
    closed = true;
  }
}
