package io.eniroute.operator.aws;

import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The interfaces attached to one instance as DescribeNetworkInterfaces reported them, by device index. */
public record InstanceState(String instanceId, List<Eni> interfaces) {

  public InstanceState {
    interfaces = interfaces.stream().filter(e -> e.attachedTo(instanceId))
        .sorted(Comparator.comparingInt(Eni::deviceIndex).thenComparing(Eni::id)).toList();
  }

  /** Reads the instance's attached interfaces (one DescribeNetworkInterfaces). */
  public static InstanceState read(Ec2Gateway ec2, String instanceId) {
    return new InstanceState(instanceId,
        ec2.describeInterfaces(Map.of("attachment.instance-id", List.of(instanceId))));
  }

  public Eni primary() {
    return interfaces.stream().filter(e -> e.deviceIndex() == 0).findFirst()
        .orElseThrow(() -> new AllocationPending("NotFound", "EC2 lists no primary interface (device index 0) for "
            + instanceId + "; is the instance running, and is the region right?"));
  }

  /** Interfaces eniroute adds addresses to: the primary and those eniroute created for this instance. */
  public List<Eni> managed() {
    return interfaces.stream().filter(e -> e.deviceIndex() == 0 || e.createdByEnirouteFor(instanceId)).toList();
  }

  /** Every interface with its private IPv4 addresses (primary first), MAC lower case, by device index. */
  public List<InterfaceAddresses> addresses() {
    List<InterfaceAddresses> out = new ArrayList<>();
    for (Eni e : interfaces) {
      List<String> ips = new ArrayList<>();
      if (e.primaryIp() != null) {
        ips.add(e.primaryIp());
      }
      ips.addAll(e.secondaryIps());
      InterfaceAddresses a = new InterfaceAddresses(e.mac(), ips);
      a.setInterfaceId(e.id());
      a.setDeviceIndex(e.deviceIndex());
      a.setNetworkCard(e.attachment().networkCard());
      out.add(a);
    }
    return out;
  }
}
