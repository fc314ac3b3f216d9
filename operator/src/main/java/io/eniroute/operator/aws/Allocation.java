package io.eniroute.operator.aws;

import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import java.util.List;
import java.util.OptionalLong;

/**
 * The outcome of an {@link AddressAllocator} call.
 *
 * @param interfaces every interface of the instance with its private IPv4 addresses, by MAC
 *     (what the agent must route), in device-index order
 * @param complete true when EC2 now matches the settings; false when more work remains (retry
 *     later) or it cannot be done
 * @param reason CamelCase condition reason when not complete (e.g. InstanceTypeLimit,
 *     SubnetFull, Throttled, NotFound), null when complete
 * @param message a sentence for a person when not complete: what is wrong and what to change
 * @param retiring the highest policy generation whose config stopped listing surplus that EC2
 *     still has assigned (released by {@link AddressAllocator#releaseRetired}); empty when none
 */
public record Allocation(
    List<InterfaceAddresses> interfaces, boolean complete, String reason, String message, OptionalLong retiring) {

  public Allocation {
    interfaces = List.copyOf(interfaces);
  }

  public static Allocation done(List<InterfaceAddresses> interfaces) {
    return new Allocation(interfaces, true, null, null, OptionalLong.empty());
  }

  public static Allocation pending(List<InterfaceAddresses> interfaces, String reason, String message) {
    return new Allocation(interfaces, false, reason, message, OptionalLong.empty());
  }

  public Allocation withRetiring(OptionalLong retiring) {
    return new Allocation(interfaces, complete, reason, message, retiring);
  }
}
