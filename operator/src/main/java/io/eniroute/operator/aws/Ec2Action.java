package io.eniroute.operator.aws;

/**
 * The EC2 API actions eniroute calls, each with the throttling bucket family EC2 puts it in.
 * EC2 throttles every action with its own token bucket; the family decides its size.
 */
public enum Ec2Action {
  DESCRIBE_NETWORK_INTERFACES("DescribeNetworkInterfaces", Family.DESCRIBE),
  DESCRIBE_INSTANCES("DescribeInstances", Family.DESCRIBE),
  DESCRIBE_INSTANCE_TYPES("DescribeInstanceTypes", Family.DESCRIBE),
  DESCRIBE_ADDRESSES("DescribeAddresses", Family.DESCRIBE),
  DESCRIBE_SUBNETS("DescribeSubnets", Family.DESCRIBE),
  CREATE_NETWORK_INTERFACE("CreateNetworkInterface", Family.MUTATING),
  ATTACH_NETWORK_INTERFACE("AttachNetworkInterface", Family.ATTACH_ASSOCIATE),
  MODIFY_NETWORK_INTERFACE_ATTRIBUTE("ModifyNetworkInterfaceAttribute", Family.MUTATING),
  ASSIGN_PRIVATE_IP_ADDRESSES("AssignPrivateIpAddresses", Family.MUTATING),
  UNASSIGN_PRIVATE_IP_ADDRESSES("UnassignPrivateIpAddresses", Family.MUTATING),
  ASSOCIATE_ADDRESS("AssociateAddress", Family.ATTACH_ASSOCIATE),
  DISASSOCIATE_ADDRESS("DisassociateAddress", Family.MUTATING),
  DETACH_NETWORK_INTERFACE("DetachNetworkInterface", Family.MUTATING),
  DELETE_NETWORK_INTERFACE("DeleteNetworkInterface", Family.MUTATING),
  CREATE_TAGS("CreateTags", Family.MUTATING),
  DELETE_TAGS("DeleteTags", Family.MUTATING);

  /** Bucket families: describe calls, ordinary mutating calls, and the smaller attach/associate one. */
  public enum Family { DESCRIBE, MUTATING, ATTACH_ASSOCIATE }

  private final String apiName;
  private final Family family;

  Ec2Action(String apiName, Family family) {
    this.apiName = apiName;
    this.family = family;
  }

  public String apiName() {
    return apiName;
  }

  public Family family() {
    return family;
  }

  public boolean mutating() {
    return family != Family.DESCRIBE;
  }
}
