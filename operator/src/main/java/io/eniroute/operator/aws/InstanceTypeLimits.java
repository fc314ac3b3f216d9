package io.eniroute.operator.aws;

import java.util.List;

/**
 * What DescribeInstanceTypes says an instance type can carry.
 *
 * @param maxInterfaces NetworkInfo.MaximumNetworkInterfaces (all network cards together)
 * @param ipv4PerInterface NetworkInfo.Ipv4AddressesPerInterface (primary address included)
 * @param interfacesPerCard MaximumNetworkInterfaces of network card 0, 1, ... (one entry per card)
 */
public record InstanceTypeLimits(String instanceType, int maxInterfaces, int ipv4PerInterface,
    List<Integer> interfacesPerCard) {

  public InstanceTypeLimits {
    interfacesPerCard = interfacesPerCard.isEmpty() ? List.of(maxInterfaces) : List.copyOf(interfacesPerCard);
  }

  public int networkCards() {
    return interfacesPerCard.size();
  }

  public int maxSecondaryIpsPerInterface() {
    return ipv4PerInterface - 1;
  }
}
