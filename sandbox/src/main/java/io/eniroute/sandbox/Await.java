package io.eniroute.sandbox;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Polls a condition; returns how long it took, or empty on timeout. Exceptions count as "not yet". */
final class Await {
  private Await() {}

  static Optional<Duration> until(Duration timeout, long pollMillis, BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return Optional.of(Duration.ofNanos(System.nanoTime() - start));
        }
      } catch (RuntimeException notYet) {
        // e.g. the API restarting; try again
      }
      if (System.nanoTime() > deadline) {
        return Optional.empty();
      }
      try {
        Thread.sleep(pollMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }
}
