package io.eniroute.operator.aws;

import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prefix length of each subnet's IPv4 CIDR (DescribeSubnets, cached per region and subnet: a
 * subnet's IPv4 CIDR never changes). The operator writes {@code addr/len} so that the agent can
 * configure an interface nothing gave an address to (no DHCP for ENIs attached after boot).
 */
final class SubnetPrefixes {
  private final Map<String, OptionalInt> cache = new ConcurrentHashMap<>();

  OptionalInt prefix(Ec2Gateway ec2, String region, String subnetId) {
    // A failure caches nothing; an unknown subnet is cached as unknown (addresses go out without length).
    return cache.computeIfAbsent(region + "/" + subnetId, k -> ec2.describeSubnetCidr(subnetId)
        .map(cidr -> OptionalInt.of(Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1))))
        .orElse(OptionalInt.empty()));
  }
}
