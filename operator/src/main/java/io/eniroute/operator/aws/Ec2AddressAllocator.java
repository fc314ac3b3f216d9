package io.eniroute.operator.aws;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AddressAllocator} on EC2. Every call starts from DescribeNetworkInterfaces (filtered by
 * the instance), checks the instance type's limits before any mutating call, then runs the steps:
 * surplus marked retiring (counts lowered; released later by {@link #releaseRetired}), interfaces, secondary addresses, Elastic IPs. EC2 errors never escape: they become a pending
 * {@link Allocation} with a reason and a sentence.
 */
public final class Ec2AddressAllocator implements AddressAllocator {
  private static final Logger log = LoggerFactory.getLogger(Ec2AddressAllocator.class);
  /** How long no node asks a full subnet for addresses again. */
  public static final Duration SUBNET_COOL_DOWN = Duration.ofMinutes(5);

  private final Ec2Gateways gateways;
  private final InstanceTypeLimitsSource limits;
  private final InterfaceEnsurer interfaces;
  private final SecondaryIpEnsurer secondaryIps;
  private final ElasticIpEnsurer elasticIps;
  private final AddressReleaser releaser;
  private final SurplusRetirer retirer;
  private final RetiredSurplusReleaser retiredReleaser;
  private final AssignIntents intents = new AssignIntents();
  private final SubnetPrefixes prefixes = new SubnetPrefixes();

  public Ec2AddressAllocator(Ec2Gateways gateways, Clock clock) {
    this(gateways, new InstanceTypeLimitsSource(), new SubnetCooldown(clock, SUBNET_COOL_DOWN));
  }

  public Ec2AddressAllocator(Ec2Gateways gateways, InstanceTypeLimitsSource limits, SubnetCooldown cooldown) {
    this.gateways = gateways;
    this.limits = limits;
    this.interfaces = new InterfaceEnsurer(cooldown);
    this.secondaryIps = new SecondaryIpEnsurer(cooldown, intents);
    this.elasticIps = new ElasticIpEnsurer();
    this.releaser = new AddressReleaser();
    this.retirer = new SurplusRetirer();
    this.retiredReleaser = new RetiredSurplusReleaser();
  }

  @Override
  public Allocation ensure(Node node, AwsSettings settings, long generation) {
    return guarded(node, settings, (ec2, target, seen) -> {
      EniOwnership ownership = EniOwnership.of(settings);
      InstanceState state = settled(ec2, target, ownership, seen);
      state.primary();
      InstanceTypeLimits typeLimits = limits.limits(ec2, target);
      InstanceTypeLimitCheck.check(typeLimits, settings, target.node());

      if (retirer.retire(ec2, target, state, settings, generation)) {
        state = read(ec2, target, ownership, seen);
      }
      if (interfaces.ensure(ec2, target, state, settings, typeLimits)) {
        state = read(ec2, target, ownership, seen);
        requireListed(state, target, settings, 0);
      }
      if (secondaryIps.ensure(ec2, target, state, AwsDesired.secondaryIps(settings))) {
        state = read(ec2, target, ownership, seen);
      }
      requireListed(state, target, settings, AwsDesired.secondaryIps(settings));
      if (elasticIps.ensure(ec2, target, state, settings.getElasticIps())) {
        log.debug("Elastic IPs changed for {}", target.instanceId());
      }
      return Allocation.done(seen.addresses).withRetiring(state.retiring());
    });
  }

  @Override
  public Allocation releaseRetired(Node node, AwsSettings settings, long upToGeneration) {
    return guarded(node, settings, (ec2, target, seen) -> {
      EniOwnership ownership = EniOwnership.of(settings);
      retiredReleaser.release(ec2, target, read(ec2, target, ownership, seen), upToGeneration);
      return Allocation.done(seen.addresses).withRetiring(read(ec2, target, ownership, seen).retiring());
    });
  }

  @Override
  public Allocation release(Node node, AwsSettings settings) {
    return guarded(node, settings, (ec2, target, seen) -> {
      EniOwnership ownership = EniOwnership.of(settings);
      releaser.release(ec2, target, settled(ec2, target, ownership, seen));
      read(ec2, target, ownership, seen);
      return Allocation.done(seen.addresses);
    });
  }

  /**
   * A read right after a change may not list it yet (eventual consistency): complete is reported
   * only from a read that shows every interface and address the policy asks for.
   */
  private static void requireListed(InstanceState state, Ec2Target target, AwsSettings settings, int wanted) {
    if (state.managed().size() < AwsDesired.interfaces(settings)
        || state.managed().stream().anyMatch(e -> state.ownedSecondaryIps(e).size() < wanted)) {
      throw new AllocationPending("NotFound", "EC2 does not list the new interface(s) or addresses of "
          + target.instanceId() + " yet (eventual consistency); eniroute retries");
    }
  }

  /** One allocator call: EC2 work against one instance. */
  private interface Work {
    Allocation run(Ec2Gateway ec2, Ec2Target target, Seen seen);
  }

  /** The instance's addresses as last read, so a call that stops early still reports them. */
  private static final class Seen {
    private List<InterfaceAddresses> addresses = List.of();
  }

  // The first read of a call: an assign a fault interrupted is resolved before anything counts addresses.
  private InstanceState settled(Ec2Gateway ec2, Ec2Target target, EniOwnership ownership, Seen seen) {
    InstanceState state = read(ec2, target, ownership, seen);
    return intents.resolve(ec2, target, state) ? read(ec2, target, ownership, seen) : state;
  }

  // The addresses eniroute owns, as addr/len (the subnet's prefix), so a call that stops early still reports them.
  private InstanceState read(Ec2Gateway ec2, Ec2Target target, EniOwnership ownership, Seen seen) {
    InstanceState state = InstanceState.read(ec2, target.instanceId(), ownership);
    String region = target.region().orElse("");
    seen.addresses = state.addresses(subnet -> prefixes.prefix(ec2, region, subnet));
    return state;
  }

  // ensure and release never throw at the reconciler: every failure becomes a pending Allocation.
  private Allocation guarded(Node node, AwsSettings settings, Work work) {
    Seen seen = new Seen();
    Ec2Target target = null;
    try {
      target = Ec2Target.of(node, settings);
      return work.run(gateways.forRegion(target.region()), target, seen);
    } catch (AllocationPending p) {
      return pending(seen.addresses, p, target);
    } catch (Ec2CallException e) {
      return pending(seen.addresses, Ec2Errors.pending(e, target == null ? "?" : target.instanceId()), target);
    } catch (RuntimeException e) {
      return unexpected(seen.addresses, e, target);
    }
  }

  // E.g. the SDK cannot build a client (no region anywhere): reported, never thrown at the reconciler.
  private static Allocation unexpected(List<InterfaceAddresses> seen, RuntimeException e, Ec2Target target) {
    log.warn("EC2 allocation for node {} failed unexpectedly", target == null ? "?" : target.node(), e);
    return Allocation.pending(seen, "Ec2Error", "EC2 allocation failed: " + e
        + (target != null && target.region().isEmpty()
            ? "; no region came from spec.aws.region, the node's " + Ec2Target.REGION_LABEL
                + " label or --region, so the SDK's default chain had to find one" : ""));
  }

  private static Allocation pending(List<InterfaceAddresses> seen, AllocationPending p, Ec2Target target) {
    log.info("EC2 for node {} not complete: {}: {}", target == null ? "?" : target.node(), p.reason(), p.getMessage());
    return Allocation.pending(seen, p.reason(), p.getMessage());
  }
}
