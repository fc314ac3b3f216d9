package io.eniroute.agent.imds;

import java.util.List;

/**
 * What IMDS discovery found.
 *
 * @param instanceId the EC2 instance id, null off AWS
 * @param region the region (placement/region), null off AWS
 * @param primaryMac the MAC of the primary interface (the {@code mac} key), null off AWS
 * @param interfaces interfaces whose numbering IMDS reported consistently
 * @param notReady MACs IMDS still numbered 0 (a hot-plugged ENI it has not caught up with) when
 *     the wait ran out; they get no hint rather than a wrong one
 * @param problem why discovery found nothing (off AWS, disabled, errors), null when it worked
 */
public record Discovery(String instanceId, String region, String primaryMac, List<ImdsInterface> interfaces,
    List<String> notReady, String problem) {

  public Discovery {
    interfaces = List.copyOf(interfaces);
    notReady = List.copyOf(notReady);
  }

  /** Kernel-only discovery: no hints, with the reason. */
  public static Discovery none(String why) {
    return new Discovery(null, null, null, List.of(), List.of(), why);
  }

  public boolean onAws() {
    return instanceId != null;
  }
}
