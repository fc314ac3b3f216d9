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

  public void full(String subnetId) {
    until.put(subnetId, clock.instant().plus(coolDown));
  }

  /** Throws SubnetFull while {@code subnetId} cools down. */
  public void check(String subnetId) {
    Optional<Instant> end = Optional.ofNullable(until.get(subnetId));
    if (end.isPresent() && clock.instant().isBefore(end.get())) {
      throw new AllocationPending("SubnetFull", "subnet " + subnetId + " had no free addresses; eniroute waits until "
          + end.get() + " before asking again: free addresses there or set spec.aws.subnetId to a larger subnet");
    }
    until.remove(subnetId, end.orElse(null));
  }
}
