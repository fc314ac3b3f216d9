package io.eniroute.operator.aws;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * EC2's request-rate token buckets as AWS documents them, one per API action, for {@link FakeEc2}.
 * Deliberately independent of the client-side limiter: its own numbers (not {@link BucketSpec}'s
 * constants) and its own arithmetic (not {@link TokenBucket}), so a limiter bug cannot hide behind
 * a fake that shares it.
 *
 * <p>Source: AWS, "Request throttling for the Amazon EC2 API",
 * https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html, section "Request token
 * bucket sizes and refill rates" (read 2026-12-01): non-mutating actions 100 tokens / 20 per s;
 * unfiltered and unpaginated non-mutating actions (DescribeInstances, DescribeNetworkInterfaces,
 * ...) 50 / 10 from a separate, smaller bucket; mutating actions not listed elsewhere 50 / 5; and
 * the "uncategorized actions" table, which gives CreateNetworkInterface, DeleteNetworkInterface,
 * ModifyNetworkInterfaceAttribute, AssignPrivateIpAddresses and UnassignPrivateIpAddresses 100 / 5,
 * CreateTags and DeleteTags 100 / 10. Every request takes one token, so each page of a paginated
 * describe and each SDK retry takes one.
 */
public final class FakeEc2Buckets {
  /** A documented bucket: maximum capacity and refill rate per second. */
  public record Size(double capacity, double refillPerSecond) {}

  static final Size NON_MUTATING = new Size(100, 20);
  static final Size UNFILTERED_UNPAGINATED = new Size(50, 10);
  static final Size MUTATING = new Size(50, 5);

  /** Per API action eniroute calls (the page's tables). */
  public static final Map<String, Size> DOCUMENTED = Map.ofEntries(
      Map.entry("DescribeNetworkInterfaces", NON_MUTATING),
      Map.entry("DescribeInstances", NON_MUTATING),
      Map.entry("DescribeInstanceTypes", NON_MUTATING),
      Map.entry("DescribeAddresses", NON_MUTATING),
      Map.entry("DescribeSubnets", NON_MUTATING),
      Map.entry("CreateNetworkInterface", new Size(100, 5)),
      Map.entry("AttachNetworkInterface", MUTATING),
      Map.entry("ModifyNetworkInterfaceAttribute", new Size(100, 5)),
      Map.entry("AssignPrivateIpAddresses", new Size(100, 5)),
      Map.entry("UnassignPrivateIpAddresses", new Size(100, 5)),
      Map.entry("AssociateAddress", MUTATING),
      Map.entry("DisassociateAddress", MUTATING),
      Map.entry("DetachNetworkInterface", MUTATING),
      Map.entry("DeleteNetworkInterface", new Size(100, 5)),
      Map.entry("CreateTags", new Size(100, 10)),
      Map.entry("DeleteTags", new Size(100, 10)));

  /** Actions whose request without a filter and without pagination draws on the smaller bucket. */
  static final Set<String> SMALLER_WHEN_UNFILTERED = Set.of("DescribeInstances", "DescribeNetworkInterfaces");

  private static final class Level {
    double tokens;
    long last;

    Level(double tokens, long last) {
      this.tokens = tokens;
      this.last = last;
    }
  }

  private final Map<String, Level> levels = new HashMap<>();
  private final LongSupplier nanos;
  private final double rateScale;
  private final Size override;

  /** AWS's documented buckets, refilled {@code rateScale} times faster (benchmarks; 1 = real). */
  static FakeEc2Buckets documented(double rateScale, LongSupplier nanos) {
    return new FakeEc2Buckets(null, rateScale, nanos);
  }

  /** One size for every action (tests that want throttling at once). */
  static FakeEc2Buckets uniform(Size size, LongSupplier nanos) {
    return new FakeEc2Buckets(size, 1, nanos);
  }

  private FakeEc2Buckets(Size override, double rateScale, LongSupplier nanos) {
    this.override = override;
    this.rateScale = rateScale;
    this.nanos = nanos;
  }

  /** The bucket a request draws on. */
  Size size(String action, boolean unfilteredUnpaginated) {
    if (override != null) {
      return override;
    }
    if (unfilteredUnpaginated && SMALLER_WHEN_UNFILTERED.contains(action)) {
      return UNFILTERED_UNPAGINATED;
    }
    Size s = DOCUMENTED.get(action);
    if (s == null) {
      throw new IllegalArgumentException("no documented bucket for " + action + ": add it from the AWS page");
    }
    return s;
  }

  /** One request: takes a token, or returns false (EC2 answers RequestLimitExceeded). */
  synchronized boolean take(String action, boolean unfilteredUnpaginated) {
    Size s = size(action, unfilteredUnpaginated);
    String key = action + (unfilteredUnpaginated && SMALLER_WHEN_UNFILTERED.contains(action) ? "/unfiltered" : "");
    long now = nanos.getAsLong();
    Level level = levels.computeIfAbsent(key, k -> new Level(s.capacity(), now));
    double elapsedSeconds = (now - level.last) / 1_000_000_000.0;
    level.tokens = Math.min(s.capacity(), level.tokens + elapsedSeconds * s.refillPerSecond() * rateScale);
    level.last = now;
    if (level.tokens < 1) {
      return false;
    }
    level.tokens -= 1;
    return true;
  }
}
