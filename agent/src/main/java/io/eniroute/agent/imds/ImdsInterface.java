package io.eniroute.agent.imds;

import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import java.util.List;

/**
 * One ENI as the instance metadata service describes it.
 *
 * @param mac lower-case MAC, the key everything else joins on
 * @param interfaceId the EC2 id (eni-...)
 * @param deviceIndex the EC2 device number (decides the route table number)
 * @param networkCard the network card index (0 on single-card instance types, which omit it)
 * @param localIpv4s the private IPv4 addresses EC2 assigned to the interface
 * @param subnetCidr the subnet's IPv4 CIDR block
 */
public record ImdsInterface(String mac, String interfaceId, int deviceIndex, int networkCard,
    List<String> localIpv4s, String subnetCidr) {

  public ImdsInterface {
    localIpv4s = List.copyOf(localIpv4s);
  }

  /** As a hint for the engine: the numbering only, no addresses (the operator decides those). */
  public InterfaceAddresses hint() {
    InterfaceAddresses a = new InterfaceAddresses(mac, List.of());
    a.setInterfaceId(interfaceId);
    a.setDeviceIndex(deviceIndex);
    a.setNetworkCard(networkCard);
    return a;
  }
}
