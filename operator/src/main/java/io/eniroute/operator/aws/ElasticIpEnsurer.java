package io.eniroute.operator.aws;

import io.eniroute.crds.v1alpha1.ElasticIpPool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every secondary address eniroute owns ({@link EniOwnership}; never a VPC CNI pod address) one Elastic IP from the pool selected
 * by tags: AssociateAddress with that exact interface and private address, AllowReassociation
 * false (an address someone else just took fails instead of being stolen), then tags the
 * allocation with the instance and private address so release finds what eniroute associated.
 */
final class ElasticIpEnsurer {
  private static final Logger log = LoggerFactory.getLogger(ElasticIpEnsurer.class);

  /** Returns true when it changed anything. */
  boolean ensure(Ec2Gateway ec2, Ec2Target target, InstanceState state, ElasticIpPool pool) {
    if (pool == null || pool.getPoolTags() == null || pool.getPoolTags().isEmpty()) {
      return false;
    }
    List<Eni> managed = state.managed();
    List<String> ids = managed.stream().map(Eni::id).toList();
    boolean changed = false;
    Set<String> owned = new HashSet<>();
    for (Eni eni : managed) {
      state.ownedSecondaryIps(eni).forEach(ip -> owned.add(eni.id() + "/" + ip));
    }
    Set<String> covered = new HashSet<>();
    for (ElasticIp eip : ec2.describeAddresses(Map.of("network-interface-id", ids))) {
      covered.add(eip.networkInterfaceId() + "/" + eip.privateIp());
      // moto reports every association on the interface's primary address: trust our own tag too.
      String bound = eip.tags().get(Tags.ASSOCIATED_ADDRESS);
      if (bound != null && target.instanceId().equals(eip.tags().get(Tags.ASSOCIATED_INSTANCE))) {
        covered.add(eip.networkInterfaceId() + "/" + bound);
      } else if (inPool(eip, pool) && owned.contains(eip.networkInterfaceId() + "/" + eip.privateIp())) {
        // An association whose tags were never written (crash in between) is claimed now.
        ec2.createTags(eip.allocationId(), ownership(target, eip.privateIp()));
        changed = true;
      }
    }
    List<String[]> needing = new ArrayList<>();
    for (Eni eni : managed) {
      for (String ip : state.ownedSecondaryIps(eni)) {
        if (!covered.contains(eni.id() + "/" + ip)) {
          needing.add(new String[] {eni.id(), ip});
        }
      }
    }
    if (needing.isEmpty()) {
      return changed;
    }
    List<ElasticIp> free = new ArrayList<>(ec2.describeAddresses(poolFilters(pool)).stream()
        .filter(e -> !e.associated() && e.allocationId() != null)
        .sorted(Comparator.comparing(ElasticIp::allocationId)).toList());
    // Nodes start at different places in the pool so that parallel nodes rarely race for one address.
    if (!free.isEmpty()) {
      java.util.Collections.rotate(free, -Math.floorMod(target.instanceId().hashCode(), free.size()));
    }
    for (String[] need : needing) {
      boolean done = false;
      while (!done && !free.isEmpty()) {
        ElasticIp eip = free.remove(0);
        try {
          ec2.associateAddress(eip.allocationId(), need[0], need[1]);
        } catch (Ec2CallException e) {
          if ("Resource.AlreadyAssociated".equals(e.code()) || "InvalidAddress.InUse".equals(e.code())) {
            continue; // another node took it first: try the next free one
          }
          throw e;
        }
        ec2.createTags(eip.allocationId(), ownership(target, need[1]));
        log.info("associated Elastic IP {} ({}) with {} on {} (node {})", eip.publicIp(), eip.allocationId(),
            need[1], need[0], target.node());
        changed = true;
        done = true;
      }
      if (!done) {
        throw new AllocationPending("ElasticIpPoolExhausted", "the Elastic IP pool " + pool.getPoolTags()
            + " has no free address left for " + need[1] + " on " + need[0] + " (node " + target.node()
            + "); allocate more Elastic IPs carrying these tags (spec.aws.elasticIps.poolTags) or lower "
            + "spec.aws.secondaryIpsPerInterface");
      }
    }
    return changed;
  }

  private static Map<String, String> ownership(Ec2Target target, String privateIp) {
    return Map.of(Tags.ASSOCIATED_INSTANCE, target.instanceId(), Tags.ASSOCIATED_ADDRESS, privateIp);
  }

  static Map<String, List<String>> poolFilters(ElasticIpPool pool) {
    Map<String, List<String>> filters = new LinkedHashMap<>();
    pool.getPoolTags().forEach((k, v) -> filters.put("tag:" + k, List.of(v)));
    return filters;
  }

  private static boolean inPool(ElasticIp eip, ElasticIpPool pool) {
    return pool.getPoolTags().entrySet().stream().allMatch(t -> t.getValue().equals(eip.tags().get(t.getKey())));
  }
}
