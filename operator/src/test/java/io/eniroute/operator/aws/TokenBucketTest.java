package io.eniroute.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong now = new AtomicLong();

  @Test
  void burstThenQueuedReservationsAtTheRefillRate() {
    TokenBucket b = new TokenBucket(new BucketSpec(2, 5), now::get);
    assertThat(b.reserve(Long.MAX_VALUE)).isZero();
    assertThat(b.reserve(Long.MAX_VALUE)).isZero();
    assertThat(b.reserve(Long.MAX_VALUE)).isEqualTo(200_000_000L); // 1 token at 5/s
    assertThat(b.reserve(Long.MAX_VALUE)).isEqualTo(400_000_000L); // queued behind the previous one
    assertThat(b.reserve(100_000_000L)).as("would wait 600 ms: refused, nothing reserved").isEqualTo(-1);
    now.addAndGet(400_000_000L);
    assertThat(b.reserve(Long.MAX_VALUE)).isEqualTo(200_000_000L);
  }

  @Test
  void serverViewRefusesWhenEmptyAndRefillsUpToTheBurstOnly() {
    TokenBucket b = new TokenBucket(new BucketSpec(2, 1), now::get);
    assertThat(b.tryTake()).isTrue();
    assertThat(b.tryTake()).isTrue();
    assertThat(b.tryTake()).isFalse();
    now.addAndGet(10_000_000_000L); // 10 s: would be 10 tokens, capped at 2
    assertThat(b.tryTake()).isTrue();
    assertThat(b.tryTake()).isTrue();
    assertThat(b.tryTake()).isFalse();
  }
}
