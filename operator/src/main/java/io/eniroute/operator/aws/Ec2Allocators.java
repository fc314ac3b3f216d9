package io.eniroute.operator.aws;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;

/**
 * Builds the EC2 {@link AddressAllocator} from the operator's options. Credentials come from the
 * SDK's default chain (IRSA web identity, instance profile, environment); the region from the
 * policy or node, else {@code defaultRegion}, else the SDK's default chain. The SDK retries in
 * standard mode; a client-side limiter per action and region, consulted before every HTTP request
 * the SDK sends (retries and pages included), keeps the operator inside EC2's token buckets.
 */
public final class Ec2Allocators {
  /** Longest a reconcile waits for a token before it reports Throttled and retries later. */
  public static final Duration MAX_TOKEN_WAIT = Duration.ofSeconds(30);

  private Ec2Allocators() {}

  /** For the operator's main: empty when {@code enabled} is false. */
  public static Optional<AddressAllocator> fromOptions(boolean enabled, Optional<URI> endpoint, Optional<String> region) {
    if (!enabled) {
      return Optional.empty();
    }
    return Optional.of(new Ec2AddressAllocator(sdkGateways(endpoint, region), Clock.systemUTC()));
  }

  /** Same, with nullable options (as picocli leaves them). */
  public static AddressAllocator fromOptions(URI endpoint, String region) {
    return fromOptions(true, Optional.ofNullable(endpoint), Optional.ofNullable(region).filter(r -> !r.isBlank()))
        .orElseThrow();
  }

  /** One SDK client and one limiter per region, created on first use. */
  public static Ec2Gateways sdkGateways(Optional<URI> endpoint, Optional<String> defaultRegion) {
    return sdkGateways(endpoint, defaultRegion, Ec2RetryListener.NONE);
  }

  /** Same, with every SDK retry reported to {@code retries} (the operator's metrics). */
  public static Ec2Gateways sdkGateways(Optional<URI> endpoint, Optional<String> defaultRegion, Ec2RetryListener retries) {
    Map<String, Ec2Gateway> byRegion = new ConcurrentHashMap<>();
    return region -> {
      Optional<String> r = region.or(() -> defaultRegion);
      return byRegion.computeIfAbsent(r.orElse(""), k ->
          limitedGateway(clientBuilder(endpoint, r), Ec2RateLimiter.forEc2(MAX_TOKEN_WAIT), retries));
    };
  }

  /**
   * The gateway for one region: the SDK client from {@code client}, each of whose HTTP requests
   * (each page, each SDK retry) takes one of {@code limiter}'s in-flight slots and a token.
   */
  public static Ec2Gateway limitedGateway(Ec2ClientBuilder client, Ec2RateLimiter limiter, Ec2RetryListener retries) {
    return new SdkEc2Gateway(pacedBy(client, limiter, retries).build());
  }

  /**
   * Adds {@link Ec2LimiterInterceptor} to {@code client}, keeping the rest of its override
   * configuration (retry strategy, other interceptors).
   */
  public static Ec2ClientBuilder pacedBy(Ec2ClientBuilder client, Ec2RateLimiter limiter, Ec2RetryListener retries) {
    return client.overrideConfiguration(client.overrideConfiguration().toBuilder()
        .addExecutionInterceptor(new Ec2LimiterInterceptor(limiter, retries)).build());
  }

  /** The SDK client: standard retry mode, Apache 5 HTTP client, default credentials chain. */
  public static Ec2Client client(Optional<URI> endpoint, Optional<String> region) {
    return clientBuilder(endpoint, region).build();
  }

  /** The builder behind {@link #client}, for callers that add credentials or interceptors (tests). */
  public static Ec2ClientBuilder clientBuilder(Optional<URI> endpoint, Optional<String> region) {
    Ec2ClientBuilder b = Ec2Client.builder()
        .httpClientBuilder(Apache5HttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD));
    endpoint.ifPresent(b::endpointOverride);
    region.ifPresent(r -> b.region(Region.of(r)));
    return b;
  }
}
