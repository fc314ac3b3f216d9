package io.eniroute.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The fake's throttling is AWS's documented model (FakeEc2Buckets cites the page), checked on a
 * hand-stepped clock, and the client-side limiter is checked against it, not against itself.
 */
class FakeEc2ThrottlingTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final FakeEc2 ec2 = FakeEc2.throttledAsDocumented(nanos::get).type("t3.medium", 3, 6);

  @Test
  void attachNetworkInterfaceAllowsFiftyAtOnceThenFivePerSecond() {
    int passed = burst(() -> ec2.attachInterface("eni-x", "i-x", 1, 0));
    assertThat(passed).isEqualTo(50);
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(burst(() -> ec2.attachInterface("eni-x", "i-x", 1, 0))).isEqualTo(5);
  }

  @Test
  void assignPrivateIpAddressesAllowsAHundredThenFivePerSecond() {
    assertThat(burst(() -> ec2.assignSecondaryIps("eni-x", 1))).isEqualTo(100);
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(burst(() -> ec2.assignSecondaryIps("eni-x", 1))).isEqualTo(10);
  }

  @Test
  void describeInstancesByIdDrawsOnTheSmallerUnfilteredBucket() {
    String instance = ec2.instance("t3.medium", ec2.subnet("10.0", 10));
    assertThat(burst(() -> ec2.describeInstanceType(instance))).isEqualTo(50);
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(burst(() -> ec2.describeInstanceType(instance))).isEqualTo(10);
  }

  @Test
  void everyPageOfADescribeTakesAToken() {
    String subnet = ec2.subnet("10.0", 100);
    for (int i = 0; i < 5; i++) {
      ec2.instance("t3.medium", subnet);
    }
    ec2.pageSize(2);
    ec2.describeInterfaces(Map.of("subnet-id", List.of(subnet)));
    assertThat(ec2.calls(Ec2Action.DESCRIBE_NETWORK_INTERFACES)).as("5 results in pages of 2").isEqualTo(3);
    // 97 tokens left: 32 more three-page describes pass, the 33rd fails on a page
    for (int i = 0; i < 32; i++) {
      ec2.describeInterfaces(Map.of("subnet-id", List.of(subnet)));
    }
    assertThatThrownBy(() -> ec2.describeInterfaces(Map.of("subnet-id", List.of(subnet))))
        .isInstanceOfSatisfying(Ec2CallException.class, e -> assertThat(e.code()).isEqualTo("RequestLimitExceeded"));
  }

  @Test
  void behindTheLimiterTheFakeChargesOneLimiterTokenPerRequestItServes() {
    String subnet = ec2.subnet("10.0", 100);
    for (int i = 0; i < 5; i++) {
      ec2.instance("t3.medium", subnet);
    }
    ec2.pageSize(2);
    Ec2RateLimiter limiter = new Ec2RateLimiter(f -> new BucketSpec(10, 1), 8, Duration.ofSeconds(1), nanos::get,
        n -> nanos.addAndGet(n));
    Ec2Gateway gateway = ec2.pacedBy(limiter);

    assertThat(gateway.describeInterfaces(Map.of("subnet-id", List.of(subnet)))).hasSize(5);

    assertThat(ec2.calls(Ec2Action.DESCRIBE_NETWORK_INTERFACES)).as("requests the fake served").isEqualTo(3);
    assertThat(limiter.tokens(Ec2Action.DESCRIBE_NETWORK_INTERFACES)).as("one limiter token per request, none for the call")
        .isEqualTo(7);
  }

  /** What the gateway sends for each action: DescribeInstances goes by instance id, without a filter. */
  private static boolean unfilteredAsCalled(Ec2Action a) {
    return a == Ec2Action.DESCRIBE_INSTANCES;
  }

  @Test
  void theClientLimiterStaysInsideEveryDocumentedBucket() {
    Ec2RateLimiter limiter = Ec2RateLimiter.forEc2(Duration.ofSeconds(1));
    FakeEc2Buckets documented = FakeEc2Buckets.documented(1, nanos::get);
    List<String> over = new ArrayList<>();
    for (Ec2Action a : Ec2Action.values()) {
      BucketSpec client = limiter.spec(a);
      FakeEc2Buckets.Size aws = documented.size(a.apiName(), unfilteredAsCalled(a));
      if (client.burst() > aws.capacity() || client.perSecond() > aws.refillPerSecond()) {
        over.add(a.apiName() + ": limiter " + client.burst() + "/" + client.perSecond() + " per s, EC2 "
            + aws.capacity() + "/" + aws.refillPerSecond() + " per s");
      }
    }
    assertThat(over).as("actions the limiter would let EC2 throttle").isEmpty();
  }

  private static int burst(Runnable call) {
    int passed = 0;
    for (int i = 0; i < 200; i++) {
      try {
        call.run();
        passed++;
      } catch (Ec2CallException e) {
        if (e.code().equals("RequestLimitExceeded")) {
          return passed;
        }
        passed++; // the call got through the bucket and failed on its own merits (unknown interface)
      }
    }
    return passed;
  }
}
