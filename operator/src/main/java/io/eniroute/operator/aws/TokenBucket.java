package io.eniroute.operator.aws;

import java.util.function.LongSupplier;

/**
 * A token bucket on a nanosecond clock. {@link #reserve} queues callers fairly (tokens may go
 * negative: each caller reserves the next token and sleeps until it is due), which is what the
 * client-side limiter needs; {@link #tryTake} is the server's view (EC2 or the fake): take a token
 * now or fail.
 */
public final class TokenBucket {
  private final BucketSpec spec;
  private final LongSupplier nanoClock;
  private double tokens;
  private long last;

  public TokenBucket(BucketSpec spec, LongSupplier nanoClock) {
    this.spec = spec;
    this.nanoClock = nanoClock;
    this.tokens = spec.burst();
    this.last = nanoClock.getAsLong();
  }

  public BucketSpec spec() {
    return spec;
  }

  /**
   * Reserves one token. Returns how many nanoseconds the caller must wait before using it, or -1
   * (and reserves nothing) when that would be longer than {@code maxWaitNanos}.
   */
  public synchronized long reserve(long maxWaitNanos) {
    refill();
    long wait = tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / spec.perSecond() * 1e9);
    if (wait > maxWaitNanos) {
      return -1;
    }
    tokens -= 1;
    return wait;
  }

  /** Tokens now (negative while reservations wait for future tokens). */
  public synchronized double tokens() {
    refill();
    return tokens;
  }

  /** Takes one token if there is one now. */
  public synchronized boolean tryTake() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(spec.burst(), tokens + (now - last) / 1e9 * spec.perSecond());
    last = now;
  }
}
