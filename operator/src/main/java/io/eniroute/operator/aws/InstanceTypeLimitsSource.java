package io.eniroute.operator.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds an instance's type (the node's instance-type label, else DescribeInstances) and its limits
 * (DescribeInstanceTypes, cached per region and type: they are fixed facts of EC2, not state).
 */
public final class InstanceTypeLimitsSource {
  private final Map<String, InstanceTypeLimits> cache = new ConcurrentHashMap<>();

  public InstanceTypeLimits limits(Ec2Gateway ec2, Ec2Target target) {
    String type = target.instanceType().orElseGet(() -> ec2.describeInstanceType(target.instanceId())
        .orElseThrow(() -> new AllocationPending("NotFound", "EC2 does not know instance " + target.instanceId()
            + " of node " + target.node() + " in region " + target.region().orElse("(SDK default)")
            + "; set spec.aws.region or the node's " + Ec2Target.REGION_LABEL + " label")));
    // One DescribeInstanceTypes per type even when many nodes ask at once; a failure caches nothing.
    return cache.computeIfAbsent(target.region().orElse("") + "/" + type, k -> ec2.describeTypeLimits(type));
  }
}
