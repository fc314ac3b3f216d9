package io.eniroute.operator.aws;

import io.eniroute.crds.v1alpha1.AwsSettings;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a policy's counts were lowered, picks eniroute's surplus and marks it retiring with the
 * policy generation that drops it ({@link Tags#RETIRING}, {@link Tags#RETIRING_IPS}); it releases
 * nothing. A retiring interface or address is no longer counted, listed in the node's config or
 * given an Elastic IP, but stays assigned in EC2 while the node's agent may still route it:
 * {@link RetiredSurplusReleaser} releases it once the agent applied that generation. Picked, as
 * before: interfaces eniroute created (highest device index first), then secondary addresses
 * (on the primary only those recorded as eniroute's, newest first). Surplus that is not
 * eniroute's (foreign interfaces, addresses someone else added) is never marked.
 */
final class SurplusRetirer {
  private static final Logger log = LoggerFactory.getLogger(SurplusRetirer.class);

  /** Returns true when it marked anything. */
  boolean retire(Ec2Gateway ec2, Ec2Target target, InstanceState state, AwsSettings settings, long generation) {
    String instance = target.instanceId();
    List<Eni> managed = state.managed();
    List<Eni> created = managed.stream()
        .filter(e -> e.deviceIndex() > 0 && e.createdByEnirouteFor(instance))
        .sorted(Comparator.comparingInt(Eni::deviceIndex).reversed()).toList();
    // Surplus only when eniroute's interfaces (primary, created, adopted) exceed interfacesPerNode: an
    // interface someone else attached does not push eniroute's out; only created ones are ever dropped.
    int extraInterfaces = Math.min(created.size(), managed.size() - AwsDesired.interfaces(settings));
    List<Eni> dropInterfaces = extraInterfaces <= 0 ? List.of() : created.subList(0, extraInterfaces);
    boolean changed = false;
    for (Eni eni : dropInterfaces) {
      ec2.createTags(eni.id(), Map.of(Tags.RETIRING, Long.toString(generation)));
      log.info("{} of {} is surplus: retiring at generation {}, released once node {} applied it", eni.id(), instance,
          generation, target.node());
      changed = true;
    }

    int wanted = AwsDesired.secondaryIps(settings);
    for (Eni eni : managed) {
      List<String> owned = state.ownedSecondaryIps(eni);
      int extra = owned.size() - wanted;
      if (extra <= 0 || dropInterfaces.contains(eni)) {
        continue;
      }
      Set<String> recorded = Tags.recordedSecondaryIps(eni.tags());
      List<String> ours = eni.createdByEnirouteFor(instance) ? owned : owned.stream().filter(recorded::contains).toList();
      List<String> drop = ours.subList(Math.max(0, ours.size() - extra), ours.size());
      if (drop.isEmpty()) {
        continue;
      }
      Map<String, Long> retiring = new LinkedHashMap<>(Tags.retiringIps(eni.tags()));
      drop.forEach(ip -> retiring.put(ip, generation));
      ec2.createTags(eni.id(), Tags.retiringIpRecord(retiring));
      log.info("{} on {} are surplus: retiring at generation {}, released once node {} applied it", drop, eni.id(),
          generation, target.node());
      changed = true;
    }
    return changed;
  }
}
