package io.eniroute.operator.runtime;

import io.eniroute.operator.aws.AddressAllocator;
import java.net.URI;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single place where the command line's EC2 options become an {@link AddressAllocator}.
 * Without {@code --aws} there is none, and policies with {@code spec.aws} report
 * AwsNotConfigured instead of silently skipping the addresses.
 */
public final class AllocatorWiring {
  private static final Logger log = LoggerFactory.getLogger(AllocatorWiring.class);

  private AllocatorWiring() {}

  public static Optional<AddressAllocator> fromOptions(boolean aws, URI ec2Endpoint, String region) {
    if (!aws) {
      return Optional.empty();
    }
    // TODO(issue 7): return Optional.of(io.eniroute.operator.aws.Ec2Allocators.fromOptions(ec2Endpoint, region))
    // once the EC2 side lands; until then --aws is accepted but no allocator exists.
    log.warn("--aws was given but this build has no EC2 allocator yet (endpoint {}, region {}); "
        + "policies with spec.aws will report AwsNotConfigured", ec2Endpoint, region);
    return Optional.empty();
  }
}
