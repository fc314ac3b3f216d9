package io.eniroute.operator.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Takes a token from the shared {@link Ec2RateLimiter} before every call it passes on. */
public final class ThrottledEc2Gateway implements Ec2Gateway {
  private final Ec2Gateway next;
  private final Ec2RateLimiter limiter;

  public ThrottledEc2Gateway(Ec2Gateway next, Ec2RateLimiter limiter) {
    this.next = next;
    this.limiter = limiter;
  }

  @Override
  public List<Eni> describeInterfaces(Map<String, List<String>> filters) {
    limiter.acquire(Ec2Action.DESCRIBE_NETWORK_INTERFACES);
    return next.describeInterfaces(filters);
  }

  @Override
  public Optional<String> describeInstanceType(String instanceId) {
    limiter.acquire(Ec2Action.DESCRIBE_INSTANCES);
    return next.describeInstanceType(instanceId);
  }

  @Override
  public InstanceTypeLimits describeTypeLimits(String instanceType) {
    limiter.acquire(Ec2Action.DESCRIBE_INSTANCE_TYPES);
    return next.describeTypeLimits(instanceType);
  }

  @Override
  public Eni createInterface(String subnetId, List<String> securityGroupIds, String clientToken, Map<String, String> tags) {
    limiter.acquire(Ec2Action.CREATE_NETWORK_INTERFACE);
    return next.createInterface(subnetId, securityGroupIds, clientToken, tags);
  }

  @Override
  public String attachInterface(String interfaceId, String instanceId, int deviceIndex, int networkCard) {
    limiter.acquire(Ec2Action.ATTACH_NETWORK_INTERFACE);
    return next.attachInterface(interfaceId, instanceId, deviceIndex, networkCard);
  }

  @Override
  public void setDeleteOnTermination(String interfaceId, String attachmentId) {
    limiter.acquire(Ec2Action.MODIFY_NETWORK_INTERFACE_ATTRIBUTE);
    next.setDeleteOnTermination(interfaceId, attachmentId);
  }

  @Override
  public List<String> assignSecondaryIps(String interfaceId, int count) {
    limiter.acquire(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES);
    return next.assignSecondaryIps(interfaceId, count);
  }

  @Override
  public void unassignSecondaryIps(String interfaceId, List<String> privateIps) {
    limiter.acquire(Ec2Action.UNASSIGN_PRIVATE_IP_ADDRESSES);
    next.unassignSecondaryIps(interfaceId, privateIps);
  }

  @Override
  public List<ElasticIp> describeAddresses(Map<String, List<String>> filters) {
    limiter.acquire(Ec2Action.DESCRIBE_ADDRESSES);
    return next.describeAddresses(filters);
  }

  @Override
  public String associateAddress(String allocationId, String interfaceId, String privateIp) {
    limiter.acquire(Ec2Action.ASSOCIATE_ADDRESS);
    return next.associateAddress(allocationId, interfaceId, privateIp);
  }

  @Override
  public void disassociateAddress(String associationId) {
    limiter.acquire(Ec2Action.DISASSOCIATE_ADDRESS);
    next.disassociateAddress(associationId);
  }

  @Override
  public void detachInterface(String attachmentId) {
    limiter.acquire(Ec2Action.DETACH_NETWORK_INTERFACE);
    next.detachInterface(attachmentId);
  }

  @Override
  public void deleteInterface(String interfaceId) {
    limiter.acquire(Ec2Action.DELETE_NETWORK_INTERFACE);
    next.deleteInterface(interfaceId);
  }

  @Override
  public void createTags(String resourceId, Map<String, String> tags) {
    limiter.acquire(Ec2Action.CREATE_TAGS);
    next.createTags(resourceId, tags);
  }

  @Override
  public void deleteTags(String resourceId, Set<String> keys) {
    limiter.acquire(Ec2Action.DELETE_TAGS);
    next.deleteTags(resourceId, keys);
  }
}
