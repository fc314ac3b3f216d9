package io.eniroute.operator.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subnets that recently answered InsufficientFreeAddressesInSubnet. Until the cool-down ends no
 * node asks EC2 for addresses there again: one full subnet must not cost a call per node per
 * reconcile. (Rate state, not desired state: losing it on restart costs one call.)
 */
public final class SubnetCooldown {
  private final Clock clock;
  private final Duration coolDown;
  private final Map<String, Instant> until = new ConcurrentHashMap<>();

  public SubnetCooldown(Clock clock, Duration coolDown) {
    this.clock = clock;
    this.coolDown = coolDown;
  }

  /**
   * Records that {@code subnetId} answered InsufficientFreeAddressesInSubnet to {@code e}; returns
   * the SubnetFull to report, naming the subnet and the fix (EC2's own text need not name it).
   */
  AllocationPending full(String subnetId, Ec2CallException e) {
    Instant end = clock.instant().plus(coolDown);
    until.put(subnetId, end);
    return new AllocationPending("SubnetFull", e.action() + " failed: InsufficientFreeAddressesInSubnet: subnet "
        + subnetId + " has no free addresses: free some there, or set spec.aws.subnetId to a larger subnet; "
        + "eniroute retries after " + end);
  }

  /** Throws SubnetFull while {@code subnetId} cools down. */
  public void check(String subnetId) {
    Optional<Instant> end = Optional.ofNullable(until.get(subnetId));
    if (end.isPresent() && clock.instant().isBefore(end.get())) {
      throw new AllocationPending("SubnetFull", "subnet " + subnetId + " had no free addresses; eniroute retries after "
          + end.get() + ": free addresses there or set spec.aws.subnetId to a larger subnet");
    }
    until.remove(subnetId, end.orElse(null));
  }
}
