package io.eniroute.operator.aws;

import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The interfaces attached to one instance as DescribeNetworkInterfaces reported them, by device
 * index, and which of them and of their addresses are eniroute's ({@link EniOwnership}).
 */
public record InstanceState(String instanceId, List<Eni> interfaces, EniOwnership ownership) {

  public InstanceState {
    interfaces = interfaces.stream().filter(e -> e.attachedTo(instanceId))
        .sorted(Comparator.comparingInt(Eni::deviceIndex).thenComparing(Eni::id)).toList();
  }

  /** An instance on which eniroute adopts nothing it did not create or assign. */
  public InstanceState(String instanceId, List<Eni> interfaces) {
    this(instanceId, interfaces, EniOwnership.none());
  }

  /** Reads the instance's attached interfaces (one DescribeNetworkInterfaces). */
  public static InstanceState read(Ec2Gateway ec2, String instanceId) {
    return read(ec2, instanceId, EniOwnership.none());
  }

  static InstanceState read(Ec2Gateway ec2, String instanceId, EniOwnership ownership) {
    return new InstanceState(instanceId,
        ec2.describeInterfaces(Map.of("attachment.instance-id", List.of(instanceId))), ownership);
  }

  public Eni primary() {
    return interfaces.stream().filter(e -> e.deviceIndex() == 0).findFirst()
        .orElseThrow(() -> new AllocationPending("NotFound", "EC2 lists no primary interface (device index 0) for "
            + instanceId + "; is the instance running, and is the region right?"));
  }

  /**
   * Interfaces eniroute routes and adds addresses to: the primary and those it owns whole (created,
   * or adopted by tags). Their number is what {@code interfacesPerNode} counts; the VPC CNI's
   * interfaces are never among them.
   */
  public List<Eni> managed() {
    return interfaces.stream().filter(e -> ownership.manages(e, instanceId)).toList();
  }

  /** The secondary addresses of {@code eni} that are eniroute's: what {@code secondaryIpsPerInterface} counts. */
  public List<String> ownedSecondaryIps(Eni eni) {
    return ownership.secondaryIps(eni, instanceId);
  }

  /**
   * The highest policy generation at which surplus of this instance was marked retiring and is
   * still attached or assigned; empty when nothing is retiring.
   */
  public OptionalLong retiring() {
    OptionalLong max = OptionalLong.empty();
    for (Eni e : interfaces) {
      OptionalLong mine = e.createdByEnirouteFor(instanceId) ? Tags.retiringSince(e.tags()) : OptionalLong.empty();
      for (long gen : Tags.retiringIps(e.tags()).values()) {
        mine = OptionalLong.of(Math.max(gen, mine.orElse(gen)));
      }
      if (mine.isPresent() && (max.isEmpty() || mine.getAsLong() > max.getAsLong())) {
        max = mine;
      }
    }
    return max;
  }

  /** The managed interfaces with eniroute's addresses only (primary first), MAC lower case, without prefix length. */
  public List<InterfaceAddresses> addresses() {
    return addresses(subnet -> OptionalInt.empty());
  }

  /**
   * The managed interfaces with eniroute's addresses only, each written {@code addr/len} when the
   * subnet's prefix length is known: an interface attached after boot gets no DHCP on AL2023 or
   * Bottlerocket, so the agent takes the length from here.
   */
  public List<InterfaceAddresses> addresses(Function<String, OptionalInt> prefixOfSubnet) {
    List<InterfaceAddresses> out = new ArrayList<>();
    for (Eni e : managed()) {
      OptionalInt len = e.subnetId() == null ? OptionalInt.empty() : prefixOfSubnet.apply(e.subnetId());
      List<String> ips = ownership.addresses(e, instanceId).stream()
          .map(ip -> len.isPresent() ? ip + "/" + len.getAsInt() : ip).toList();
      InterfaceAddresses a = new InterfaceAddresses(e.mac(), ips);
      a.setInterfaceId(e.id());
      a.setDeviceIndex(e.deviceIndex());
      a.setNetworkCard(e.attachment().networkCard());
      out.add(a);
    }
    return out;
  }
}
