package io.eniroute.operator.aws;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Client-side limiter: one token bucket per EC2 action, shared by every node the operator works on
 * (one instance per region, because EC2 throttles per account and region), plus a cap on calls in
 * flight. Like EC2, it charges one token per HTTP request ({@link #awaitToken}, called for every
 * attempt and every page), not per gateway call. A request waits for its token; when the wait
 * would exceed {@code maxWait} it is not sent and fails with {@link Ec2CallException#CLIENT_THROTTLED},
 * so a reconcile thread is never parked for minutes.
 *
 * <p>Why the headroom and the in-flight cap: a call reaches EC2 a little after its token was due
 * (scheduling, network). Calls that were delayed can arrive together, and EC2's bucket sees a burst
 * the limiter never issued. With at most {@link #MAX_IN_FLIGHT} calls between "token due" and
 * "answered", a burst headroom of at least that many tokens absorbs any such bunching.
 */
public final class Ec2RateLimiter {
  /** Fraction of EC2's burst the limiter uses; the rest absorbs late arrivals and other clients. */
  public static final double BURST_HEADROOM = 0.8;
  /** Fraction of EC2's refill rate the limiter uses. */
  public static final double RATE_HEADROOM = 0.9;
  /** EC2 calls in flight per region at most (smaller than the smallest burst headroom, 50 x 0.2). */
  public static final int MAX_IN_FLIGHT = 8;

  private final Map<Ec2Action, TokenBucket> buckets = new EnumMap<>(Ec2Action.class);
  private final Semaphore inFlight;
  private final long maxWaitNanos;
  private final Pause pause;

  /** How a caller waits until its token is due: parks the thread; tests step a virtual clock instead. */
  @FunctionalInterface
  public interface Pause {
    void nanos(long nanos) throws InterruptedException;

    /** Parks the thread for {@code nanos} of real time. */
    Pause PARK = nanos -> {
      long deadline = System.nanoTime() + nanos;
      for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
        LockSupport.parkNanos(left);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    };
  }

  public Ec2RateLimiter(Function<Ec2Action.Family, BucketSpec> specs, Duration maxWait, LongSupplier nanoClock) {
    this(specs, MAX_IN_FLIGHT, maxWait, nanoClock);
  }

  public Ec2RateLimiter(Function<Ec2Action.Family, BucketSpec> specs, int maxInFlight, Duration maxWait,
      LongSupplier nanoClock) {
    this(specs, maxInFlight, maxWait, nanoClock, Pause.PARK);
  }

  /** With the caller's {@code pause}: tests pass one that advances {@code nanoClock} and records the wait. */
  public Ec2RateLimiter(Function<Ec2Action.Family, BucketSpec> specs, int maxInFlight, Duration maxWait,
      LongSupplier nanoClock, Pause pause) {
    for (Ec2Action action : Ec2Action.values()) {
      buckets.put(action, new TokenBucket(specs.apply(action.family()), nanoClock));
    }
    this.inFlight = new Semaphore(maxInFlight, true);
    this.maxWaitNanos = maxWait.toNanos();
    this.pause = pause;
  }

  /** EC2's buckets with {@link #BURST_HEADROOM}/{@link #RATE_HEADROOM}, real time. */
  public static Ec2RateLimiter forEc2(Duration maxWait) {
    return new Ec2RateLimiter(f -> BucketSpec.ec2(f).scaled(BURST_HEADROOM, RATE_HEADROOM), maxWait, System::nanoTime);
  }

  public BucketSpec spec(Ec2Action action) {
    return buckets.get(action).spec();
  }

  /** Tokens left in {@code action}'s bucket now (negative: callers are queued for future tokens). */
  double tokens(Ec2Action action) {
    return buckets.get(action).tokens();
  }

  /**
   * Runs {@code call} in one of the in-flight slots, or throws ClientThrottled without calling when
   * no slot frees within the limit. The call's tokens are not taken here but per HTTP request, by
   * {@link #awaitToken} from whatever sends it (the SDK client's {@link Ec2LimiterInterceptor}), so
   * an SDK retry or a further page of a describe pays its own token and a call never pays twice.
   */
  public <T> T call(Ec2Action action, Supplier<T> call) {
    try {
      if (!inFlight.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
        throw throttled(action);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(action);
    }
    try {
      return call.get();
    } finally {
      inFlight.release();
    }
  }

  /**
   * One request of {@code action} is about to be sent: returns once its token is due, or throws
   * ClientThrottled (nothing reserved, the request must not be sent) when that would take longer
   * than the limit.
   */
  public void awaitToken(Ec2Action action) {
    long wait = buckets.get(action).reserve(maxWaitNanos);
    if (wait < 0) {
      throw throttled(action);
    }
    if (wait > 0) {
      try {
        pause.nanos(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted(action);
      }
    }
  }

  private static Ec2CallException interrupted(Ec2Action action) {
    return new Ec2CallException(action.apiName(), Ec2CallException.CLIENT_THROTTLED, "interrupted while waiting");
  }

  private Ec2CallException throttled(Ec2Action action) {
    return new Ec2CallException(action.apiName(), Ec2CallException.CLIENT_THROTTLED,
        "the client-side limiter for " + action.apiName() + " would wait longer than "
            + Duration.ofNanos(maxWaitNanos).toMillis() + " ms; retrying later");
  }
}
