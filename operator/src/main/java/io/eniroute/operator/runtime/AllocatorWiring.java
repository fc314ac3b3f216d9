package io.eniroute.operator.runtime;

import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.aws.Ec2AddressAllocator;
import io.eniroute.operator.aws.Ec2Allocators;
import io.eniroute.operator.aws.Ec2Gateway;
import io.eniroute.operator.aws.Ec2Gateways;
import io.eniroute.operator.aws.MeteredEc2Gateway;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single place where the command line's EC2 options become an {@link AddressAllocator}.
 * Without {@code --aws} there is none, and policies with {@code spec.aws} report
 * AwsNotConfigured instead of silently skipping the addresses.
 */
public final class AllocatorWiring {
  private AllocatorWiring() {}

  public static Optional<AddressAllocator> fromOptions(boolean aws, URI ec2Endpoint, String region) {
    return Ec2Allocators.fromOptions(aws, Optional.ofNullable(ec2Endpoint),
        Optional.ofNullable(region).filter(r -> !r.isBlank()));
  }

  /** Same, with every EC2 call of every region counted and timed in {@code registry} (the operator's /metrics). */
  public static Optional<AddressAllocator> fromOptions(boolean aws, URI ec2Endpoint, String region, MeterRegistry registry) {
    if (!aws) {
      return Optional.empty();
    }
    Ec2Gateways sdk = Ec2Allocators.sdkGateways(Optional.ofNullable(ec2Endpoint),
        Optional.ofNullable(region).filter(r -> !r.isBlank()), MeteredEc2Gateway.retryCounter(registry));
    return Optional.of(new Ec2AddressAllocator(metered(sdk, registry), Clock.systemUTC()));
  }

  /** Wraps each region's gateway (the limiter in front of the SDK) once, so the meters see what the operator waits for. */
  static Ec2Gateways metered(Ec2Gateways gateways, MeterRegistry registry) {
    Map<Optional<String>, Ec2Gateway> byRegion = new ConcurrentHashMap<>();
    return region -> byRegion.computeIfAbsent(region, r -> new MeteredEc2Gateway(gateways.forRegion(r), registry));
  }
}
