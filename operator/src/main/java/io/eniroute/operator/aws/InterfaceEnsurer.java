package io.eniroute.operator.aws;

import io.eniroute.crds.v1alpha1.AwsSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings an instance up to {@code interfacesPerNode} interfaces: reuses an interface eniroute
 * created earlier for this instance that is not attached (a crash or a failed attach left it),
 * else creates one with a client token derived from instance, device index, subnet, groups and node (a
 * retry returns the same interface instead of a second one), attaches it at the next free device
 * index on a network card with room, and sets DeleteOnTermination. An interface retiring from an
 * earlier lowering that the token hands back is taken back (its retiring marks removed).
 */
final class InterfaceEnsurer {
  private static final Logger log = LoggerFactory.getLogger(InterfaceEnsurer.class);

  private final SubnetCooldown cooldown;

  InterfaceEnsurer(SubnetCooldown cooldown) {
    this.cooldown = cooldown;
  }

  /** Returns true when it changed anything. */
  boolean ensure(Ec2Gateway ec2, Ec2Target target, InstanceState state, AwsSettings settings, InstanceTypeLimits limits) {
    boolean changed = deleteOnTermination(ec2, target, state);
    // Only eniroute's interfaces count: an interface of the VPC CNI (or anyone) does not fill a slot.
    int missing = AwsDesired.interfaces(settings) - state.managed().size();
    if (missing <= 0) {
      return changed;
    }
    Eni primary = state.primary();
    String subnet = settings.getSubnetId() != null ? settings.getSubnetId() : primary.subnetId();
    List<String> groups = settings.getSecurityGroupIds() != null && !settings.getSecurityGroupIds().isEmpty()
        ? settings.getSecurityGroupIds() : primary.securityGroupIds();
    cooldown.check(subnet);

    Deque<Eni> orphans = new ArrayDeque<>(ec2.describeInterfaces(Map.of(
            "tag:" + Tags.INSTANCE, List.of(target.instanceId()), "status", List.of("available"))).stream()
        .filter(e -> e.createdByEnirouteFor(target.instanceId()) && e.attachment() == null && subnet.equals(e.subnetId())
            && !EniOwnership.retiring(e, target.instanceId())) // retired: on its way to deletion
        .toList());
    Set<Integer> usedDevices = new HashSet<>();
    int[] perCard = new int[limits.networkCards()];
    for (Eni e : state.interfaces()) {
      usedDevices.add(e.deviceIndex());
      if (e.attachment().networkCard() < perCard.length) {
        perCard[e.attachment().networkCard()]++;
      }
    }
    for (int i = 0; i < missing; i++) {
      int device = 1;
      while (usedDevices.contains(device)) {
        device++;
      }
      int card = cardWithRoom(perCard, limits, state);
      Eni eni = orphans.isEmpty() ? create(ec2, target, subnet, groups, device) : orphans.poll();
      String attachmentId;
      if (eni.attachedTo(target.instanceId())) {
        // A token retry returned an interface that is already attached (EC2 had not listed it yet).
        attachmentId = eni.attachment().id();
        device = eni.attachment().deviceIndex();
        card = Math.min(eni.attachment().networkCard(), perCard.length - 1);
      } else {
        attachmentId = ec2.attachInterface(eni.id(), target.instanceId(), device, card);
        log.info("attached {} to {} (node {}) at device index {}, network card {}", eni.id(), target.instanceId(),
            target.node(), device, card);
      }
      ec2.setDeleteOnTermination(eni.id(), attachmentId);
      usedDevices.add(device);
      perCard[card]++;
    }
    return true;
  }

  /**
   * DeleteOnTermination on every attached interface eniroute created: a pass that attached one and
   * then failed (response lost, throttled, not visible yet) must not leave it outliving its instance.
   */
  private static boolean deleteOnTermination(Ec2Gateway ec2, Ec2Target target, InstanceState state) {
    boolean changed = false;
    for (Eni eni : state.interfaces()) {
      if (eni.createdByEnirouteFor(target.instanceId()) && !eni.attachment().deleteOnTermination()) {
        ec2.setDeleteOnTermination(eni.id(), eni.attachment().id());
        changed = true;
      }
    }
    return changed;
  }

  private Eni create(Ec2Gateway ec2, Ec2Target target, String subnet, List<String> groups, int device) {
    try {
      Eni eni = ec2.createInterface(subnet, groups, clientToken(target.instanceId(), device, subnet, groups, target.node()),
          Tags.created(target.instanceId(), target.node()));
      if (EniOwnership.retiring(eni, target.instanceId())) {
        // The token handed back an interface retired earlier (same instance, device index, subnet):
        // wanted again, so it is taken back instead of being deleted under the new spec.
        Set<String> marks = new HashSet<>(Tags.retiringKeys(eni.tags()));
        marks.add(Tags.RETIRING);
        ec2.deleteTags(eni.id(), marks);
        log.info("{} was retiring; wanted again for {} (node {})", eni.id(), target.instanceId(), target.node());
        return eni;
      }
      log.info("created {} in {} for {} (node {})", eni.id(), subnet, target.instanceId(), target.node());
      return eni;
    } catch (Ec2CallException e) {
      if ("InsufficientFreeAddressesInSubnet".equals(e.code())) {
        throw cooldown.full(subnet, e);
      }
      throw e;
    }
  }

  private static int cardWithRoom(int[] perCard, InstanceTypeLimits limits, InstanceState state) {
    for (int c = 0; c < perCard.length; c++) {
      if (perCard[c] < limits.interfacesPerCard().get(c)) {
        return c;
      }
    }
    List<String> foreign = state.interfaces().stream().filter(e -> !state.managed().contains(e)).map(Eni::id).toList();
    throw new AllocationPending("InstanceTypeLimit", "every network card of this " + limits.instanceType()
        + " already holds its maximum of interfaces" + (foreign.isEmpty() ? "" : ", " + foreign.size()
            + " of them not eniroute's (" + String.join(", ", foreign) + ", e.g. the VPC CNI's) and not counted toward "
            + "spec.aws.interfacesPerNode") + "; lower spec.aws.interfacesPerNode");
  }

  /**
   * Deterministic per instance, device index and every other request parameter (subnet, groups,
   * the node named in the tags), so a retry gets the same interface and changed settings never hit
   * IdempotentParameterMismatch. At most 64 ASCII characters.
   */
  static String clientToken(String instanceId, int deviceIndex, String subnet, List<String> groups, String node) {
    List<String> sorted = new ArrayList<>(groups);
    sorted.sort(null);
    String key = instanceId + "|" + deviceIndex + "|" + subnet + "|" + String.join(",", sorted) + "|" + node;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "eniroute-" + HexFormat.of().formatHex(digest).substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
