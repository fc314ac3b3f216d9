package io.eniroute.operator.aws;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Client-side limiter: one token bucket per EC2 action, shared by every node the operator works on
 * (one instance per region, because EC2 throttles per account and region), plus a cap on requests
 * in flight. Like EC2, it charges one token per HTTP request ({@link #acquire}, called by
 * {@link Ec2LimiterInterceptor} for every attempt and every page), not per gateway call. A request
 * waits for its slot and its token; when the wait would exceed {@code maxWait} it is not sent and
 * fails with {@link Ec2CallException#CLIENT_THROTTLED}, so a reconcile thread is never parked for
 * minutes.
 *
 * <p>Why the headroom and the in-flight cap: a request reaches EC2 a little after its token was due
 * (scheduling, network). Requests that were delayed can arrive together, and EC2's bucket sees a
 * burst the limiter never issued. A request holds its slot from before its token is due until it
 * is answered, so with at most {@link #MAX_IN_FLIGHT} requests between "token due" and "answered",
 * a burst headroom of at least that many tokens absorbs any such bunching.
 */
public final class Ec2RateLimiter {
  /** Fraction of EC2's burst the limiter uses; the rest absorbs late arrivals and other clients. */
  public static final double BURST_HEADROOM = 0.8;
  /** Fraction of EC2's refill rate the limiter uses. */
  public static final double RATE_HEADROOM = 0.9;
  /** EC2 requests in flight per region at most (smaller than the smallest burst headroom, 50 x 0.2). */
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
   * One HTTP request of {@code action} is about to be sent: takes an in-flight slot, then waits
   * until the request's token is due, and returns the slot as a permit to close once the request
   * is answered (or failed). Throws ClientThrottled, holding nothing, when either would take
   * longer than the limit: the request must then not be sent. Called for every attempt and every
   * page, so an SDK retry or a further page pays its own token.
   */
  public Permit acquire(Ec2Action action) {
    long start = System.nanoTime();
    try {
      if (!inFlight.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS)) {
        throw throttled(action);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(action);
    }
    Permit permit = new Permit();
    try {
      long wait = buckets.get(action).reserve(Math.max(0, maxWaitNanos - (System.nanoTime() - start)));
      if (wait < 0) {
        throw throttled(action);
      }
      if (wait > 0) {
        pause.nanos(wait);
      }
      return permit;
    } catch (InterruptedException e) {
      permit.close();
      Thread.currentThread().interrupt();
      throw interrupted(action);
    } catch (RuntimeException e) {
      permit.close();
      throw e;
    }
  }

  /** An in-flight slot, held from before a request's token was due until it is answered. */
  public final class Permit implements AutoCloseable {
    private final AtomicBoolean held = new AtomicBoolean(true);

    private Permit() {}

    /** Gives the slot back; later calls do nothing. */
    @Override
    public void close() {
      if (held.compareAndSet(true, false)) {
        inFlight.release();
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
