package io.eniroute.operator.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Holds one of the shared {@link Ec2RateLimiter}'s in-flight slots for every call. It takes no
 * token itself: {@code next} must charge the limiter per request it sends, as an SDK client built
 * with {@link Ec2Allocators#pacedBy} does (and {@code FakeEc2.pacedBy} in tests), so a call that
 * pages or retries pays one token per request and none twice.
 */
public final class ThrottledEc2Gateway implements Ec2Gateway {
  private final Ec2Gateway next;
  private final Ec2RateLimiter limiter;

  public ThrottledEc2Gateway(Ec2Gateway next, Ec2RateLimiter limiter) {
    this.next = next;
    this.limiter = limiter;
  }

  @Override
  public List<Eni> describeInterfaces(Map<String, List<String>> filters) {
    return limiter.call(Ec2Action.DESCRIBE_NETWORK_INTERFACES, () -> next.describeInterfaces(filters));
  }

  @Override
  public Optional<String> describeInstanceType(String instanceId) {
    return limiter.call(Ec2Action.DESCRIBE_INSTANCES, () -> next.describeInstanceType(instanceId));
  }

  @Override
  public InstanceTypeLimits describeTypeLimits(String instanceType) {
    return limiter.call(Ec2Action.DESCRIBE_INSTANCE_TYPES, () -> next.describeTypeLimits(instanceType));
  }

  @Override
  public Optional<String> describeSubnetCidr(String subnetId) {
    return limiter.call(Ec2Action.DESCRIBE_SUBNETS, () -> next.describeSubnetCidr(subnetId));
  }

  @Override
  public Eni createInterface(String subnetId, List<String> securityGroupIds, String clientToken, Map<String, String> tags) {
    return limiter.call(Ec2Action.CREATE_NETWORK_INTERFACE, () -> next.createInterface(subnetId, securityGroupIds, clientToken, tags));
  }

  @Override
  public String attachInterface(String interfaceId, String instanceId, int deviceIndex, int networkCard) {
    return limiter.call(Ec2Action.ATTACH_NETWORK_INTERFACE, () -> next.attachInterface(interfaceId, instanceId, deviceIndex, networkCard));
  }

  @Override
  public void setDeleteOnTermination(String interfaceId, String attachmentId) {
    limiter.call(Ec2Action.MODIFY_NETWORK_INTERFACE_ATTRIBUTE, () -> {
      next.setDeleteOnTermination(interfaceId, attachmentId);
      return null;
    });
  }

  @Override
  public List<String> assignSecondaryIps(String interfaceId, int count) {
    return limiter.call(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES, () -> next.assignSecondaryIps(interfaceId, count));
  }

  @Override
  public void unassignSecondaryIps(String interfaceId, List<String> privateIps) {
    limiter.call(Ec2Action.UNASSIGN_PRIVATE_IP_ADDRESSES, () -> {
      next.unassignSecondaryIps(interfaceId, privateIps);
      return null;
    });
  }

  @Override
  public List<ElasticIp> describeAddresses(Map<String, List<String>> filters) {
    return limiter.call(Ec2Action.DESCRIBE_ADDRESSES, () -> next.describeAddresses(filters));
  }

  @Override
  public String associateAddress(String allocationId, String interfaceId, String privateIp) {
    return limiter.call(Ec2Action.ASSOCIATE_ADDRESS, () -> next.associateAddress(allocationId, interfaceId, privateIp));
  }

  @Override
  public void disassociateAddress(String associationId) {
    limiter.call(Ec2Action.DISASSOCIATE_ADDRESS, () -> {
      next.disassociateAddress(associationId);
      return null;
    });
  }

  @Override
  public void detachInterface(String attachmentId) {
    limiter.call(Ec2Action.DETACH_NETWORK_INTERFACE, () -> {
      next.detachInterface(attachmentId);
      return null;
    });
  }

  @Override
  public void deleteInterface(String interfaceId) {
    limiter.call(Ec2Action.DELETE_NETWORK_INTERFACE, () -> {
      next.deleteInterface(interfaceId);
      return null;
    });
  }

  @Override
  public void createTags(String resourceId, Map<String, String> tags) {
    limiter.call(Ec2Action.CREATE_TAGS, () -> {
      next.createTags(resourceId, tags);
      return null;
    });
  }

  @Override
  public void deleteTags(String resourceId, Set<String> keys) {
    limiter.call(Ec2Action.DELETE_TAGS, () -> {
      next.deleteTags(resourceId, keys);
      return null;
    });
  }
}
