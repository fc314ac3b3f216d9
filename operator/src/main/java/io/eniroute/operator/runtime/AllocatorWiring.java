package io.eniroute.operator.runtime;

import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.aws.Ec2Allocators;
import java.net.URI;
import java.util.Optional;

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
}
