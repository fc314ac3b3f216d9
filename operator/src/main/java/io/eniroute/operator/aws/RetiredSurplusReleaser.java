package io.eniroute.operator.aws;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases the surplus {@link SurplusRetirer} marked at a generation the node's agent has applied
 * (or that can no longer be in use), in reverse order and only what carries eniroute's tags:
 * Elastic IPs on it, then the secondary addresses (and their records), then the interfaces
 * (detach, delete once available). Surplus marked at a later generation stays. Everything is read
 * from the tags, so a call after any restart releases exactly what is still due.
 */
final class RetiredSurplusReleaser {
  private static final Logger log = LoggerFactory.getLogger(RetiredSurplusReleaser.class);

  /** Returns when the due surplus is released; throws {@link AllocationPending} while detaches finish. */
  void release(Ec2Gateway ec2, Ec2Target target, InstanceState state, long upTo) {
    String instance = target.instanceId();
    Set<String> dueInterfaces = new HashSet<>();
    List<Eni> detach = new ArrayList<>();
    for (Eni eni : state.interfaces()) {
      if (due(eni, instance, upTo) && eni.deviceIndex() > 0) {
        dueInterfaces.add(eni.id());
        detach.add(eni);
      }
    }
    Map<Eni, Map<String, Long>> dueIps = new LinkedHashMap<>();
    Set<String> dueAddresses = new HashSet<>();
    for (Eni eni : state.interfaces()) {
      Map<String, Long> retiring = Tags.retiringIps(eni.tags());
      if (retiring.isEmpty() || dueInterfaces.contains(eni.id())) {
        continue;
      }
      Map<String, Long> due = new LinkedHashMap<>(retiring);
      due.values().removeIf(gen -> gen > upTo);
      if (!due.isEmpty()) {
        dueIps.put(eni, due);
        due.keySet().forEach(ip -> dueAddresses.add(eni.id() + "/" + ip));
      }
    }

    if (!dueInterfaces.isEmpty() || !dueAddresses.isEmpty()) {
      for (ElasticIp eip : ec2.describeAddresses(Map.of("tag:" + Tags.ASSOCIATED_INSTANCE, List.of(instance)))) {
        String bound = eip.networkInterfaceId() + "/" + eip.tags().getOrDefault(Tags.ASSOCIATED_ADDRESS, eip.privateIp());
        if (eip.associated() && (dueInterfaces.contains(eip.networkInterfaceId()) || dueAddresses.contains(bound))) {
          ec2.disassociateAddress(eip.associationId());
          ec2.deleteTags(eip.allocationId(), Set.of(Tags.ASSOCIATED_INSTANCE, Tags.ASSOCIATED_ADDRESS));
          log.info("disassociated Elastic IP {} from retired {} (node {})", eip.publicIp(), bound, target.node());
        }
      }
    }
    for (Map.Entry<Eni, Map<String, Long>> e : dueIps.entrySet()) {
      releaseAddresses(ec2, target, e.getKey(), e.getValue().keySet());
    }
    for (Eni eni : detach) {
      ec2.detachInterface(eni.attachment().id());
      log.info("detached retired {} from {} (node {})", eni.id(), instance, target.node());
    }

    // Also finds an interface detached by an earlier call (a restart in between): it is no longer attached.
    List<String> stillDetaching = new ArrayList<>();
    for (Eni eni : ec2.describeInterfaces(Map.of("tag:" + Tags.INSTANCE, List.of(instance)))) {
      if (!due(eni, instance, upTo)) {
        continue;
      }
      if (eni.attachment() == null && "available".equals(eni.status())) {
        ec2.deleteInterface(eni.id());
        log.info("deleted retired {} (node {})", eni.id(), target.node());
      } else if (eni.attachment() == null || eni.attachedTo(instance)) {
        stillDetaching.add(eni.id());
      }
    }
    if (!stillDetaching.isEmpty()) {
      throw new AllocationPending("Detaching", "waiting for EC2 to finish detaching the retired " + stillDetaching
          + " from " + instance + " before deleting them; eniroute retries");
    }
  }

  private static boolean due(Eni eni, String instance, long upTo) {
    return eni.createdByEnirouteFor(instance) && Tags.retiringSince(eni.tags()).stream().anyMatch(gen -> gen <= upTo);
  }

  private static void releaseAddresses(Ec2Gateway ec2, Ec2Target target, Eni eni, Set<String> due) {
    List<String> assigned = eni.secondaryIps().stream().filter(due::contains).toList();
    if (!assigned.isEmpty()) {
      ec2.unassignSecondaryIps(eni.id(), assigned);
      log.info("unassigned retired {} from {} (node {})", assigned, eni.id(), target.node());
    }
    if (!eni.createdByEnirouteFor(target.instanceId())) {
      Set<String> record = new LinkedHashSet<>(Tags.recordedSecondaryIps(eni.tags()));
      record.removeAll(due);
      rewrite(ec2, eni.id(), Tags.recordKeys(eni.tags()), Tags.secondaryIpRecord(record));
    }
    Map<String, Long> retiring = new LinkedHashMap<>(Tags.retiringIps(eni.tags()));
    retiring.keySet().removeAll(due);
    rewrite(ec2, eni.id(), Tags.retiringKeys(eni.tags()), Tags.retiringIpRecord(retiring));
  }

  // The record is written before stale keys go, so a crash in between leaves a superset, never a loss.
  private static void rewrite(Ec2Gateway ec2, String eniId, List<String> oldKeys, Map<String, String> record) {
    Set<String> stale = new LinkedHashSet<>(oldKeys);
    stale.removeAll(record.keySet());
    if (!record.isEmpty()) {
      ec2.createTags(eniId, record);
    }
    if (!stale.isEmpty()) {
      ec2.deleteTags(eniId, stale);
    }
  }
}
