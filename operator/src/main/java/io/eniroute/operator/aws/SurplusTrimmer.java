package io.eniroute.operator.aws;

import io.eniroute.crds.v1alpha1.AwsSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a policy's counts were lowered, removes the surplus eniroute added, in reverse order, and
 * only what carries eniroute's tags: Elastic IPs on the addresses and interfaces being dropped,
 * then secondary addresses (on the primary only those recorded as eniroute's, newest first), then
 * interfaces eniroute created (highest device index first: detach, delete once available).
 * Surplus that is not eniroute's (foreign interfaces, addresses someone else added) stays.
 */
final class SurplusTrimmer {
  private static final Logger log = LoggerFactory.getLogger(SurplusTrimmer.class);

  /** Returns true when it changed anything. */
  boolean trim(Ec2Gateway ec2, Ec2Target target, InstanceState state, AwsSettings settings) {
    String instance = target.instanceId();
    List<Eni> created = state.interfaces().stream()
        .filter(e -> e.deviceIndex() > 0 && e.createdByEnirouteFor(instance))
        .sorted(Comparator.comparingInt(Eni::deviceIndex).reversed()).toList();
    // Surplus only when eniroute's interfaces (primary, created, adopted) exceed interfacesPerNode: an
    // interface someone else attached does not push eniroute's out; only created ones are ever dropped.
    int extraInterfaces = Math.min(created.size(), state.managed().size() - AwsDesired.interfaces(settings));
    List<Eni> dropInterfaces = extraInterfaces <= 0 ? List.of() : created.subList(0, extraInterfaces);
    Set<String> droppedIds = new HashSet<>();
    dropInterfaces.forEach(e -> droppedIds.add(e.id()));

    int wanted = AwsDesired.secondaryIps(settings);
    Map<Eni, List<String>> dropIps = new LinkedHashMap<>();
    for (Eni eni : state.managed()) {
      int extra = state.ownedSecondaryIps(eni).size() - wanted;
      if (extra <= 0 || droppedIds.contains(eni.id())) {
        continue;
      }
      List<String> ours = new ArrayList<>(eni.createdByEnirouteFor(instance) ? eni.secondaryIps()
          : eni.secondaryIps().stream().filter(Tags.recordedSecondaryIps(eni.tags())::contains).toList());
      List<String> drop = ours.subList(Math.max(0, ours.size() - extra), ours.size());
      if (!drop.isEmpty()) {
        dropIps.put(eni, List.copyOf(drop));
      }
    }
    if (dropInterfaces.isEmpty() && dropIps.isEmpty()) {
      return false;
    }

    Set<String> droppedAddresses = new HashSet<>();
    dropIps.forEach((eni, ips) -> ips.forEach(ip -> droppedAddresses.add(eni.id() + "/" + ip)));
    for (ElasticIp eip : ec2.describeAddresses(Map.of("tag:" + Tags.ASSOCIATED_INSTANCE, List.of(instance)))) {
      String bound = eip.networkInterfaceId() + "/" + eip.tags().getOrDefault(Tags.ASSOCIATED_ADDRESS, eip.privateIp());
      if (eip.associated() && (droppedIds.contains(eip.networkInterfaceId()) || droppedAddresses.contains(bound))) {
        ec2.disassociateAddress(eip.associationId());
        ec2.deleteTags(eip.allocationId(), Set.of(Tags.ASSOCIATED_INSTANCE, Tags.ASSOCIATED_ADDRESS));
        log.info("disassociated Elastic IP {} from {} (surplus, node {})", eip.publicIp(), bound, target.node());
      }
    }
    for (Map.Entry<Eni, List<String>> e : dropIps.entrySet()) {
      Eni eni = e.getKey();
      ec2.unassignSecondaryIps(eni.id(), e.getValue());
      log.info("unassigned surplus {} from {} (node {})", e.getValue(), eni.id(), target.node());
      if (!eni.createdByEnirouteFor(instance)) {
        Set<String> record = new LinkedHashSet<>(Tags.recordedSecondaryIps(eni.tags()));
        record.removeAll(e.getValue());
        Map<String, String> newRecord = Tags.secondaryIpRecord(record);
        Set<String> stale = new LinkedHashSet<>(Tags.recordKeys(eni.tags()));
        stale.removeAll(newRecord.keySet());
        if (!newRecord.isEmpty()) {
          ec2.createTags(eni.id(), newRecord);
        }
        if (!stale.isEmpty()) {
          ec2.deleteTags(eni.id(), stale);
        }
      }
    }
    for (Eni eni : dropInterfaces) {
      ec2.detachInterface(eni.attachment().id());
      log.info("detached surplus {} from {} (node {})", eni.id(), instance, target.node());
    }
    if (!dropInterfaces.isEmpty()) {
      for (Eni eni : ec2.describeInterfaces(Map.of("network-interface-id", List.copyOf(droppedIds)))) {
        if (eni.attachment() == null && "available".equals(eni.status())) {
          ec2.deleteInterface(eni.id());
          log.info("deleted surplus {} (node {})", eni.id(), target.node());
        }
      }
    }
    return true;
  }
}
