package io.eniroute.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;

/**
 * The operator's EC2 wiring (Ec2Allocators.limitedGateway: a real Ec2Client with the SDK's standard
 * retries, behind the client-side limiter) against {@link FakeEc2} over HTTP: the limiter charges
 * a token for every HTTP request EC2 would charge, each SDK retry and each page of a describe,
 * and a request whose bucket is empty is held until its token is due. The limiter runs on a
 * virtual clock; its pause records each wait and steps the clock, so nothing sleeps.
 */
class SdkRequestPacingTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final FakeEc2 ec2 = new FakeEc2().type("t3.medium", 3, 6);
  private final List<String> waits = new ArrayList<>();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Ec2RetryListener retries = MeteredEc2Gateway.retryCounter(registry);
  private FakeEc2Endpoint endpoint;

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  @Test
  void eachSdkRetryOfAThrottledRequestTakesItsOwnTokenAndIsCounted() throws Exception {
    String instance = ec2.instance("t3.medium", ec2.subnet("10.0", 100));
    String eni = ec2.interfacesOf(instance).get(0).id();
    ec2.failNext(Ec2Action.CREATE_TAGS, "RequestLimitExceeded");
    ec2.failNext(Ec2Action.CREATE_TAGS, "RequestLimitExceeded");
    Ec2RateLimiter limiter = limiter(10, 1);
    Ec2Gateway gateway = gateway(limiter);

    gateway.createTags(eni, Map.of("k", "v"));

    assertThat(ec2.calls(Ec2Action.CREATE_TAGS)).as("requests EC2 answered: 2 throttled, 1 served").isEqualTo(3);
    assertThat(limiter.tokens(Ec2Action.CREATE_TAGS)).as("2 retries: 3 tokens of 10").isEqualTo(7);
    assertThat(registry.scrape()).contains("eniroute_ec2_retries_total{action=\"CreateTags\"} 2.0");
  }

  @Test
  void anAssignWhoseAnswerWasLostIsNotSentAgainSoEc2AssignsOnce() throws Exception {
    String instance = ec2.instance("t3.medium", ec2.subnet("10.0", 100));
    String eni = ec2.interfacesOf(instance).get(0).id();
    Ec2Gateway gateway = gateway(limiter(10, 1));
    endpoint.loseAnswers("AssignPrivateIpAddresses", 1);

    // AssignPrivateIpAddresses takes a count and no client token: a resend after a lost answer
    // assigns again. The SDK must not resend it; eniroute's next pass reads what EC2 shows.
    assertThatThrownBy(() -> gateway.assignSecondaryIps(eni, 1)).isInstanceOf(Ec2CallException.class);

    assertThat(ec2.calls(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES)).as("requests sent").isEqualTo(1);
    assertThat(ec2.interfacesOf(instance).get(0).secondaryIps()).as("assigned once").hasSize(1);
  }

  @Test
  void aThrottledAssignIsNotResentByTheSdkAndReportsRequestLimitExceeded() throws Exception {
    String instance = ec2.instance("t3.medium", ec2.subnet("10.0", 100));
    String eni = ec2.interfacesOf(instance).get(0).id();
    ec2.failNext(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES, "RequestLimitExceeded");
    Ec2Gateway gateway = gateway(limiter(10, 1));

    assertThatThrownBy(() -> gateway.assignSecondaryIps(eni, 1)).isInstanceOfSatisfying(Ec2CallException.class,
        e -> assertThat(e.code()).isEqualTo("RequestLimitExceeded"));
    assertThat(ec2.calls(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES)).isEqualTo(1);
  }

  @Test
  void everyPageOfAPaginatedDescribeTakesItsOwnToken() throws Exception {
    String subnet = ec2.subnet("10.0", 100);
    for (int i = 0; i < 5; i++) {
      ec2.instance("t3.medium", subnet);
    }
    Ec2RateLimiter limiter = limiter(10, 1);
    Ec2Gateway gateway = gateway(limiter);
    endpoint.pageSize(2);

    assertThat(gateway.describeInterfaces(Map.of("subnet-id", List.of(subnet)))).hasSize(5);

    assertThat(endpoint.requests()).as("5 interfaces in pages of 2").isEqualTo(3);
    assertThat(limiter.tokens(Ec2Action.DESCRIBE_NETWORK_INTERFACES)).as("3 pages: 3 tokens of 10").isEqualTo(7);
    assertThat(registry.scrape()).as("pages are not retries").doesNotContain("eniroute_ec2_retries_total{");
  }

  @Test
  void aRequestWhoseBucketIsEmptyIsHeldUntilItsTokenIsDue() throws Exception {
    String subnet = ec2.subnet("10.0", 100);
    for (int i = 0; i < 3; i++) {
      ec2.instance("t3.medium", subnet);
    }
    Ec2RateLimiter limiter = limiter(1, 2);
    Ec2Gateway gateway = gateway(limiter);
    endpoint.pageSize(1);

    assertThat(gateway.describeInterfaces(Map.of("subnet-id", List.of(subnet)))).hasSize(3);

    assertThat(waits).as("page 1 takes the only token; pages 2 and 3 each wait half a second (2 per s) before they are sent")
        .containsExactly("500 ms after 1 requests", "500 ms after 2 requests");
    assertThat(endpoint.requests()).isEqualTo(3);
  }

  @Test
  void aRequestTheLimiterWillNotWaitForIsNotSentAndReportsClientThrottled() throws Exception {
    String instance = ec2.instance("t3.medium", ec2.subnet("10.0", 100));
    Ec2RateLimiter limiter = new Ec2RateLimiter(f -> new BucketSpec(1, 0.01), 8, Duration.ofSeconds(1), nanos::get, this::pause);
    Ec2Gateway gateway = gateway(limiter);
    gateway.describeInterfaces(Map.of("attachment.instance-id", List.of(instance)));

    assertThatThrownBy(() -> gateway.describeInterfaces(Map.of("attachment.instance-id", List.of(instance))))
        .isInstanceOfSatisfying(Ec2CallException.class, e -> assertThat(e.code()).isEqualTo(Ec2CallException.CLIENT_THROTTLED));
    assertThat(endpoint.requests()).as("the second describe never left the client").isEqualTo(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void requestsThatFailOnTheWireGiveTheirInFlightSlotBack() throws Exception {
    Ec2RateLimiter limiter = new Ec2RateLimiter(f -> new BucketSpec(100, 1), 1, Duration.ofMillis(200), nanos::get, this::pause);
    Ec2Gateway gateway = gateway(limiter);
    endpoint.close(); // connection refused: every attempt fails before an answer

    for (int call = 0; call < 2; call++) {
      assertThatThrownBy(() -> gateway.describeSubnetCidr("subnet-00000001")).as("one slot: a leaked one would refuse call 2")
          .isInstanceOfSatisfying(Ec2CallException.class, e -> assertThat(e.code()).isEqualTo(Ec2CallException.UNREACHABLE));
    }
    assertThat(limiter.tokens(Ec2Action.DESCRIBE_SUBNETS)).as("2 calls x 3 attempts (standard retries), a token each")
        .isEqualTo(94);
  }

  private Ec2RateLimiter limiter(double burst, double perSecond) {
    return new Ec2RateLimiter(f -> new BucketSpec(burst, perSecond), 8, Duration.ofSeconds(30), nanos::get, this::pause);
  }

  /** The limiter's pause: records how long and after how many requests, then steps the virtual clock. */
  private void pause(long waitNanos) {
    waits.add(Duration.ofNanos(waitNanos).toMillis() + " ms after " + endpoint.requests() + " requests");
    nanos.addAndGet(waitNanos);
  }

  /** The operator's gateway on the fake; the SDK's standard retries without their backoff sleeps. */
  private Ec2Gateway gateway(Ec2RateLimiter limiter) throws Exception {
    endpoint = FakeEc2Endpoint.serve(ec2);
    Ec2ClientBuilder client = endpoint.clientBuilder();
    client.overrideConfiguration(client.overrideConfiguration().toBuilder()
        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .backoffStrategy(BackoffStrategy.retryImmediately())
            .throttlingBackoffStrategy(BackoffStrategy.retryImmediately()).build())
        .build());
    return Ec2Allocators.limitedGateway(client, limiter, retries);
  }
}
