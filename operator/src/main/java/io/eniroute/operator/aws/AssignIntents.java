package io.eniroute.operator.aws;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes AssignPrivateIpAddresses safe on interfaces eniroute did not create (the primary). There
 * the addresses EC2 picks become eniroute's only once recorded in a tag ({@link Tags#SECONDARY_IPS}),
 * and no client token makes the call idempotent: a fault between the assign and the record (the
 * response lost to a 500 or a timeout, the tag write throttled) would leave addresses nobody
 * records, assigned again on the next pass and never released. So the intent is written first
 * ({@link Tags#ASSIGNING}: the count asked for and the addresses there before), and removed once
 * the record is written or EC2 refused the call. A pass that finds an intent resolves it: the
 * addresses that appeared since, not recorded, are recorded as eniroute's when they are no more
 * than were asked for; more than that means a co-tenant (the VPC CNI's warm pool) assigned too, and
 * eniroute cannot tell its own apart: it claims none and says so in the log.
 */
final class AssignIntents {
  private static final Logger log = LoggerFactory.getLogger(AssignIntents.class);

  /** Before asking EC2 for {@code count} more addresses on {@code eni}. */
  void before(Ec2Gateway ec2, Eni eni, int count) {
    ec2.createTags(eni.id(), Tags.assigning(count, eni.secondaryIps()));
  }

  /** After the record was written. */
  void done(Ec2Gateway ec2, Eni eni, int count) {
    ec2.deleteTags(eni.id(), Tags.assigning(count, eni.secondaryIps()).keySet());
  }

  /** After EC2 answered {@code e}: the intent goes unless EC2 may have assigned anyway. */
  void failed(Ec2Gateway ec2, Eni eni, int count, Ec2CallException e) {
    if (e.maybePerformed()) {
      return; // the next pass resolves it
    }
    try {
      done(ec2, eni, count);
    } catch (Ec2CallException ignored) {
      // the next pass resolves it: nothing appeared, nothing is claimed
    }
  }

  /** Resolves every intent on the instance's interfaces; returns true when it changed tags. */
  boolean resolve(Ec2Gateway ec2, Ec2Target target, InstanceState state) {
    boolean changed = false;
    for (Eni eni : state.interfaces()) {
      List<String> tokens = Tags.assigningTokens(eni.tags());
      if (tokens.isEmpty() || eni.createdByEnirouteFor(target.instanceId())) {
        continue;
      }
      int asked = count(tokens.get(0));
      Set<String> recorded = new LinkedHashSet<>(Tags.recordedSecondaryIps(eni.tags()));
      Set<String> appeared = new LinkedHashSet<>(eni.secondaryIps());
      appeared.removeAll(tokens.subList(1, tokens.size()));
      appeared.removeAll(recorded);
      if (!appeared.isEmpty() && appeared.size() <= asked) {
        recorded.retainAll(eni.secondaryIps());
        recorded.addAll(appeared);
        ec2.createTags(eni.id(), Tags.secondaryIpRecord(recorded));
        log.info("recorded {} on {} as eniroute's: assigned by a call whose answer was lost (node {})", appeared, eni.id(),
            target.node());
      } else if (!appeared.isEmpty()) {
        log.warn("{} on {} appeared while eniroute asked for {} address(es) (node {}): a co-tenant assigned too, so "
            + "eniroute claims none of them; unassign the ones that are not in use by hand", appeared, eni.id(), asked,
            target.node());
      }
      ec2.deleteTags(eni.id(), new LinkedHashSet<>(Tags.assigningKeys(eni.tags())));
      changed = true;
    }
    return changed;
  }

  private static int count(String token) {
    try {
      return Integer.parseInt(token);
    } catch (NumberFormatException e) {
      return 0; // not ours to trust: claim nothing
    }
  }
}
