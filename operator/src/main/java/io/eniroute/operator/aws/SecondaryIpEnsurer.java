package io.eniroute.operator.aws;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings every managed interface up to {@code secondaryIpsPerInterface} secondary addresses with
 * one AssignPrivateIpAddresses per interface asking for the missing count. On interfaces eniroute
 * did not create (the primary) it records the addresses it added in a tag, so release removes
 * exactly those after any restart; an intent written before the call ({@link AssignIntents})
 * covers a fault between the assign and the record.
 */
final class SecondaryIpEnsurer {
  private static final Logger log = LoggerFactory.getLogger(SecondaryIpEnsurer.class);

  private final SubnetCooldown cooldown;
  private final AssignIntents intents;

  SecondaryIpEnsurer(SubnetCooldown cooldown, AssignIntents intents) {
    this.cooldown = cooldown;
    this.intents = intents;
  }

  /** Returns true when it changed anything. */
  boolean ensure(Ec2Gateway ec2, Ec2Target target, InstanceState state, int wanted) {
    boolean changed = false;
    for (Eni eni : state.managed()) {
      // Only eniroute's addresses count: the VPC CNI's warm pool on the primary does not fill the quota.
      int missing = wanted - state.ownedSecondaryIps(eni).size();
      if (missing <= 0) {
        continue;
      }
      cooldown.check(eni.subnetId());
      boolean shared = !eni.createdByEnirouteFor(target.instanceId());
      if (shared) {
        intents.before(ec2, eni, missing);
      }
      List<String> reported;
      try {
        reported = ec2.assignSecondaryIps(eni.id(), missing);
      } catch (Ec2CallException e) {
        if (shared) {
          intents.failed(ec2, eni, missing, e);
        }
        switch (e.code()) {
          case "InsufficientFreeAddressesInSubnet" -> throw cooldown.full(eni.subnetId(), e);
          case "PrivateIpAddressLimitExceeded" -> {
            // Someone else may have added addresses since we read: re-read before giving up.
            if (state.ownedSecondaryIps(reread(ec2, eni)).size() >= wanted) {
              continue;
            }
          }
          default -> { }
        }
        throw e;
      }
      // EC2 reports the new addresses only; moto reports all of them: keep what is new.
      Set<String> added = new LinkedHashSet<>(reported);
      added.remove(eni.primaryIp());
      eni.secondaryIps().forEach(added::remove);
      log.info("assigned {} to {} ({} of node {})", added, eni.id(), target.instanceId(), target.node());
      if (shared) {
        Set<String> record = new LinkedHashSet<>(Tags.recordedSecondaryIps(eni.tags()));
        record.retainAll(eni.secondaryIps()); // forget addresses someone else removed meanwhile
        record.addAll(added);
        if (!added.isEmpty()) {
          ec2.createTags(eni.id(), Tags.secondaryIpRecord(record));
        }
        intents.done(ec2, eni, missing);
      }
      changed = true;
    }
    return changed;
  }

  private static Eni reread(Ec2Gateway ec2, Eni eni) {
    return ec2.describeInterfaces(Map.of("network-interface-id", List.of(eni.id()))).stream()
        .findFirst().orElse(eni);
  }
}
