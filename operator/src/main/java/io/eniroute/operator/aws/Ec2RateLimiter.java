package io.eniroute.operator.aws;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Client-side limiter: one token bucket per EC2 action, shared by every node the operator works on
 * (one instance per region, because EC2 throttles per account and region). A caller waits for its
 * token; when the wait would exceed {@code maxWait} the call is not made and fails with
 * {@link Ec2CallException#CLIENT_THROTTLED}, so a reconcile thread is never parked for minutes.
 */
public final class Ec2RateLimiter {
  /** Headroom below EC2's buckets: other clients of the account share them, and threads jitter. */
  public static final double BURST_HEADROOM = 0.9;
  public static final double RATE_HEADROOM = 0.9;

  private final Map<Ec2Action, TokenBucket> buckets = new EnumMap<>(Ec2Action.class);
  private final long maxWaitNanos;

  public Ec2RateLimiter(Function<Ec2Action.Family, BucketSpec> specs, Duration maxWait, LongSupplier nanoClock) {
    for (Ec2Action action : Ec2Action.values()) {
      buckets.put(action, new TokenBucket(specs.apply(action.family()), nanoClock));
    }
    this.maxWaitNanos = maxWait.toNanos();
  }

  /** EC2's buckets with {@link #BURST_HEADROOM}/{@link #RATE_HEADROOM}, real time. */
  public static Ec2RateLimiter forEc2(Duration maxWait) {
    return new Ec2RateLimiter(f -> BucketSpec.ec2(f).scaled(BURST_HEADROOM, RATE_HEADROOM), maxWait, System::nanoTime);
  }

  public BucketSpec spec(Ec2Action action) {
    return buckets.get(action).spec();
  }

  /** Blocks until {@code action} may be called, or throws ClientThrottled. */
  public void acquire(Ec2Action action) {
    long wait = buckets.get(action).reserve(maxWaitNanos);
    if (wait < 0) {
      throw new Ec2CallException(action.apiName(), Ec2CallException.CLIENT_THROTTLED,
          "the client-side limiter for " + action.apiName() + " would wait longer than "
              + Duration.ofNanos(maxWaitNanos).toSeconds() + "s; retrying later");
    }
    long deadline = System.nanoTime() + wait;
    for (long left = wait; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
