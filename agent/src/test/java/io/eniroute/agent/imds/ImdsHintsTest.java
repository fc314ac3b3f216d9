package io.eniroute.agent.imds;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When IMDS is asked again: after a failure (with backoff) and for a MAC it did not number. */
class ImdsHintsTest {
  private static final String M1 = "02:aa:00:00:00:02";
  private static final Discovery UP = new Discovery("i-1", "eu-west-1", "02:aa:00:00:00:01",
      List.of(new ImdsInterface(M1, "eni-b", 1, 0, List.of("10.0.0.20"), "10.0.0.0/24")), List.of(), null);
  private static final Discovery DOWN = Discovery.none("IMDS unreachable: connect timed out");

  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger calls = new AtomicInteger();

  private ImdsHints hints(Discovery... answers) {
    Deque<Discovery> queue = new ArrayDeque<>(List.of(answers));
    return new ImdsHints(() -> {
      calls.incrementAndGet();
      return queue.size() > 1 ? queue.poll() : queue.peek();
    }, Duration.ofSeconds(30), now::get, () -> Set.of(M1));
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aFailedDiscoveryIsRetriedWithBackoffUntilItSucceeds() {
    ImdsHints h = hints(DOWN, DOWN, UP);

    assertThat(h.hintsFor(List.of(M1))).isEmpty();
    advance(Duration.ofSeconds(10));
    assertThat(h.hintsFor(List.of(M1))).isEmpty();
    assertThat(calls).as("not before the first backoff (30 s)").hasValue(1);

    advance(Duration.ofSeconds(20));
    assertThat(h.hintsFor(List.of(M1))).isEmpty();
    assertThat(calls).as("retried after 30 s, failed again").hasValue(2);

    advance(Duration.ofSeconds(45));
    h.hintsFor(List.of(M1));
    assertThat(calls).as("the second wait doubles to 60 s").hasValue(2);

    advance(Duration.ofSeconds(15));
    List<InterfaceAddresses> found = h.hintsFor(List.of(M1));
    assertThat(calls).hasValue(3);
    assertThat(found).extracting(InterfaceAddresses::getDeviceIndex).containsExactly(1);
  }

  @Test
  void theBackoffIsCappedAtTenMinutes() {
    ImdsHints h = hints(DOWN);
    h.hintsFor(List.of());
    for (int i = 0; i < 10; i++) {
      advance(Duration.ofMinutes(10));
      h.hintsFor(List.of());
    }
    assertThat(calls).hasValue(11);
  }
}
