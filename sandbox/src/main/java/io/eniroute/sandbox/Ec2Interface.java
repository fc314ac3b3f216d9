package io.eniroute.sandbox;

import java.util.List;

/**
 * One ENI as EC2 reports it: what the lab mirrors into a node namespace.
 *
 * @param instanceId the instance it is attached to (null when detached)
 * @param deviceIndex attachment device index (the node names it eth{deviceIndex})
 * @param privateIps primary first, then the secondary addresses
 */
public record Ec2Interface(String id, String mac, String instanceId, int deviceIndex, List<String> privateIps) {
  public Ec2Interface {
    privateIps = List.copyOf(privateIps);
  }

  public String primaryIp() {
    return privateIps.get(0);
  }
}
