package io.eniroute.agent.cluster;

import io.eniroute.agent.imds.Discovery;
import io.eniroute.crds.ProviderId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This node's EC2 identity as its Node object states it: {@code spec.providerID}
 * ({@code aws:///<zone>/<instance-id>}, as the AWS cloud provider writes it) and the
 * {@code topology.kubernetes.io/region} label (else the zone minus its letter, e.g. us-east-1a ->
 * us-east-1).
 *
 * @param instanceId the EC2 instance id (i-...)
 * @param zone the availability zone, null when the providerID has none
 * @param region the region, null when neither the label nor the zone gives one
 */
public record NodeIdentity(String instanceId, String zone, String region) {
  public static final String REGION_LABEL = "topology.kubernetes.io/region";
  private static final Pattern ZONE = Pattern.compile("([a-z]{2}(?:-[a-z]+)+-\\d+)[a-z]");

  /**
   * @param providerId the Node's spec.providerID
   * @param regionLabel its topology.kubernetes.io/region label (null when it has none)
   * @throws IllegalArgumentException naming the field, when the Node says nothing about an EC2
   *     instance (no providerID, or another cloud's, e.g. kind://...)
   */
  public static NodeIdentity parse(String providerId, String regionLabel) {
    if (providerId == null || providerId.isBlank()) {
      throw new IllegalArgumentException("spec.providerID is not set");
    }
    ProviderId id = ProviderId.parse(providerId).orElseThrow(() -> new IllegalArgumentException(
        "spec.providerID '" + providerId + "' is not an EC2 instance (" + ProviderId.FORMAT + ")"));
    String region = regionLabel != null && !regionLabel.isBlank() ? regionLabel.strip() : regionOf(id.zone());
    return new NodeIdentity(id.instanceId(), id.zone(), region);
  }

  /**
   * This node's identity in words for its status, from the Node object and IMDS: the Node's when
   * it has one (saying so when IMDS describes another instance), else IMDS's; null when neither
   * knows it (off EC2).
   */
  public static String describe(Optional<NodeIdentity> node, Discovery imds) {
    boolean imdsOnAws = imds != null && imds.onAws();
    if (node.isPresent()) {
      NodeIdentity n = node.get();
      if (!imdsOnAws) {
        return n.toString();
      }
      return n.instanceId().equals(imds.instanceId())
          ? (n.region() == null ? new NodeIdentity(n.instanceId(), n.zone(), imds.region()) : n).toString()
          : n + " (IMDS describes " + imds.instanceId() + ": its numbering is not used)";
    }
    return imdsOnAws ? new NodeIdentity(imds.instanceId(), null, imds.region()).toString() : null;
  }

  private static String regionOf(String zone) {
    if (zone == null) {
      return null;
    }
    Matcher z = ZONE.matcher(zone);
    return z.matches() ? z.group(1) : null;
  }

  @Override
  public String toString() {
    return "instance " + instanceId + " in " + (region == null ? "an unknown region" : region)
        + (zone == null ? "" : " (zone " + zone + ")");
  }
}
