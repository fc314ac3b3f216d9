package io.eniroute.operator.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The EC2 calls eniroute makes, one method per API action, in eniroute's own value types. The
 * SDK-backed implementation talks to EC2 (or moto); an in-memory fake enforces what moto does not
 * (limits, throttling, eventual consistency). Every failure is an {@link Ec2CallException}.
 */
public interface Ec2Gateway {

  /** DescribeNetworkInterfaces with filters (name to accepted values), all pages. */
  List<Eni> describeInterfaces(Map<String, List<String>> filters);

  /** DescribeInstances for one instance: its type, empty when EC2 does not know the instance. */
  Optional<String> describeInstanceType(String instanceId);

  /** DescribeInstanceTypes for one type. */
  InstanceTypeLimits describeTypeLimits(String instanceType);

  /** DescribeSubnets for one subnet: its IPv4 CIDR, empty when EC2 does not know the subnet. */
  Optional<String> describeSubnetCidr(String subnetId);

  /** CreateNetworkInterface; the same client token with the same parameters returns the same interface. */
  Eni createInterface(String subnetId, List<String> securityGroupIds, String clientToken, Map<String, String> tags);

  /** AttachNetworkInterface; returns the attachment id. */
  String attachInterface(String interfaceId, String instanceId, int deviceIndex, int networkCard);

  /** ModifyNetworkInterfaceAttribute: DeleteOnTermination=true on the attachment. */
  void setDeleteOnTermination(String interfaceId, String attachmentId);

  /** AssignPrivateIpAddresses with SecondaryPrivateIpAddressCount; returns the addresses EC2 reports. */
  List<String> assignSecondaryIps(String interfaceId, int count);

  /** UnassignPrivateIpAddresses. */
  void unassignSecondaryIps(String interfaceId, List<String> privateIps);

  /** DescribeAddresses with filters (name to accepted values). */
  List<ElasticIp> describeAddresses(Map<String, List<String>> filters);

  /** AssociateAddress with AllowReassociation=false; returns the association id. */
  String associateAddress(String allocationId, String interfaceId, String privateIp);

  /** DisassociateAddress. */
  void disassociateAddress(String associationId);

  /** DetachNetworkInterface (not forced). */
  void detachInterface(String attachmentId);

  /** DeleteNetworkInterface. */
  void deleteInterface(String interfaceId);

  /** CreateTags on one resource (interface or Elastic IP allocation). */
  void createTags(String resourceId, Map<String, String> tags);

  /** DeleteTags (by key) on one resource. */
  void deleteTags(String resourceId, Set<String> keys);
}
