package io.eniroute.operator.aws;

import java.util.List;
import java.util.Map;

/**
 * An elastic network interface as EC2 describes it, reduced to what eniroute reads.
 *
 * @param attachment null when the interface is not attached
 * @param secondaryIps secondary private IPv4 addresses in the order EC2 lists them
 */
public record Eni(String id, String mac, String subnetId, List<String> securityGroupIds, String status,
    Attachment attachment, String primaryIp, List<String> secondaryIps, Map<String, String> tags) {

  public Eni {
    mac = mac == null ? null : mac.toLowerCase(java.util.Locale.ROOT);
    securityGroupIds = List.copyOf(securityGroupIds);
    secondaryIps = List.copyOf(secondaryIps);
    tags = Map.copyOf(tags);
  }

  /** Where and how an interface is attached. */
  public record Attachment(String id, String instanceId, int deviceIndex, int networkCard, boolean deleteOnTermination) {}

  public boolean attachedTo(String instanceId) {
    return attachment != null && instanceId.equals(attachment.instanceId());
  }

  public int deviceIndex() {
    return attachment == null ? -1 : attachment.deviceIndex();
  }

  /** Created by eniroute for this instance: the only interfaces eniroute ever detaches or deletes. */
  public boolean createdByEnirouteFor(String instanceId) {
    return "true".equals(tags.get(Tags.MANAGED)) && instanceId.equals(tags.get(Tags.INSTANCE));
  }
}
