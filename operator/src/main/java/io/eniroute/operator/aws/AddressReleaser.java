package io.eniroute.operator.aws;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes what eniroute added to an instance, in reverse order and only what carries eniroute's
 * tags: Elastic IPs it associated, then the secondary addresses it recorded on interfaces it did
 * not create, then the interfaces it created (detach, then delete once EC2 shows them detached).
 * Never the primary interface, never an interface or address without eniroute's tags.
 */
final class AddressReleaser {
  private static final Logger log = LoggerFactory.getLogger(AddressReleaser.class);

  /** Returns when everything is released; throws {@link AllocationPending} while detaches finish. */
  void release(Ec2Gateway ec2, Ec2Target target, InstanceState state) {
    String instance = target.instanceId();
    Set<String> interfaceIds = new HashSet<>();
    state.interfaces().forEach(e -> interfaceIds.add(e.id()));

    for (ElasticIp eip : ec2.describeAddresses(Map.of("tag:" + Tags.ASSOCIATED_INSTANCE, List.of(instance)))) {
      if (eip.associated() && interfaceIds.contains(eip.networkInterfaceId())) {
        ec2.disassociateAddress(eip.associationId());
        log.info("disassociated Elastic IP {} from {} (node {})", eip.publicIp(), eip.privateIp(), target.node());
      }
      ec2.deleteTags(eip.allocationId(), Set.of(Tags.ASSOCIATED_INSTANCE, Tags.ASSOCIATED_ADDRESS));
    }

    for (Eni eni : state.interfaces()) {
      if (eni.createdByEnirouteFor(instance)) {
        continue; // deleting the interface releases its addresses
      }
      // Retiring addresses are still in the record: they go with the rest, and so does their mark.
      List<String> keys = new ArrayList<>(Tags.recordKeys(eni.tags()));
      keys.addAll(Tags.retiringKeys(eni.tags()));
      if (keys.isEmpty()) {
        continue;
      }
      Set<String> ours = new LinkedHashSet<>(Tags.recordedSecondaryIps(eni.tags()));
      ours.retainAll(eni.secondaryIps());
      if (!ours.isEmpty()) {
        ec2.unassignSecondaryIps(eni.id(), new ArrayList<>(ours));
        log.info("unassigned {} from {} (node {})", ours, eni.id(), target.node());
      }
      ec2.deleteTags(eni.id(), new LinkedHashSet<>(keys));
    }

    List<Eni> created = state.interfaces().stream().filter(e -> e.createdByEnirouteFor(instance) && e.deviceIndex() > 0)
        .sorted(Comparator.comparingInt(Eni::deviceIndex).reversed()).toList();
    for (Eni eni : created) {
      ec2.detachInterface(eni.attachment().id());
      log.info("detached {} from {} (node {})", eni.id(), instance, target.node());
    }

    List<String> stillDetaching = new ArrayList<>();
    // Detached by this pass, so not deleted yet: a listing without one of them lags (eventual consistency).
    Set<String> unlisted = new LinkedHashSet<>();
    created.forEach(e -> unlisted.add(e.id()));
    for (Eni eni : ec2.describeInterfaces(Map.of("tag:" + Tags.INSTANCE, List.of(instance)))) {
      unlisted.remove(eni.id());
      if (!eni.createdByEnirouteFor(instance)) {
        continue;
      }
      if (eni.attachment() == null && "available".equals(eni.status())) {
        ec2.deleteInterface(eni.id());
        log.info("deleted {} (was eniroute's for {}, node {})", eni.id(), instance, target.node());
      } else if (eni.attachment() == null || eni.attachedTo(instance)) {
        stillDetaching.add(eni.id());
      }
    }
    stillDetaching.addAll(unlisted);
    if (!stillDetaching.isEmpty()) {
      throw new AllocationPending("Detaching", "waiting for EC2 to finish detaching " + stillDetaching + " from "
          + instance + " before deleting them; eniroute retries");
    }
  }
}
