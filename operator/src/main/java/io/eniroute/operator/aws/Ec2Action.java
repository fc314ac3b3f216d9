package io.eniroute.operator.aws;

import java.util.Optional;

/**
 * The EC2 API actions eniroute calls, each with the throttling bucket family EC2 puts it in.
 * EC2 throttles every action with its own token bucket; the family decides its size.
 */
public enum Ec2Action {
  DESCRIBE_NETWORK_INTERFACES("DescribeNetworkInterfaces", Family.DESCRIBE),
  // by instance id, without a filter or pagination: EC2's smaller "unfiltered and unpaginated" bucket
  DESCRIBE_INSTANCES("DescribeInstances", Family.DESCRIBE_UNFILTERED),
  DESCRIBE_INSTANCE_TYPES("DescribeInstanceTypes", Family.DESCRIBE),
  DESCRIBE_ADDRESSES("DescribeAddresses", Family.DESCRIBE),
  DESCRIBE_SUBNETS("DescribeSubnets", Family.DESCRIBE),
  CREATE_NETWORK_INTERFACE("CreateNetworkInterface", Family.MUTATING),
  ATTACH_NETWORK_INTERFACE("AttachNetworkInterface", Family.ATTACH_ASSOCIATE),
  MODIFY_NETWORK_INTERFACE_ATTRIBUTE("ModifyNetworkInterfaceAttribute", Family.MUTATING),
  ASSIGN_PRIVATE_IP_ADDRESSES("AssignPrivateIpAddresses", Family.MUTATING),
  UNASSIGN_PRIVATE_IP_ADDRESSES("UnassignPrivateIpAddresses", Family.MUTATING),
  ASSOCIATE_ADDRESS("AssociateAddress", Family.ATTACH_ASSOCIATE),
  DISASSOCIATE_ADDRESS("DisassociateAddress", Family.ATTACH_ASSOCIATE),
  DETACH_NETWORK_INTERFACE("DetachNetworkInterface", Family.ATTACH_ASSOCIATE),
  DELETE_NETWORK_INTERFACE("DeleteNetworkInterface", Family.MUTATING),
  CREATE_TAGS("CreateTags", Family.MUTATING),
  DELETE_TAGS("DeleteTags", Family.MUTATING);

  /**
   * Bucket families (AWS, "Request throttling for the Amazon EC2 API"): filtered or paginated
   * describes; describes without either, which draw on a smaller bucket; the mutating actions EC2
   * lists with their own 100-token bucket (CreateNetworkInterface, AssignPrivateIpAddresses,
   * CreateTags, ...); and EC2's general mutating category (50 tokens), which covers attach,
   * detach, associate and disassociate.
   */
  public enum Family { DESCRIBE, DESCRIBE_UNFILTERED, MUTATING, ATTACH_ASSOCIATE }

  private final String apiName;
  private final Family family;

  Ec2Action(String apiName, Family family) {
    this.apiName = apiName;
    this.family = family;
  }

  /** The action EC2 calls {@code apiName} (the SDK's operation name), if eniroute calls it. */
  public static Optional<Ec2Action> byApiName(String apiName) {
    for (Ec2Action a : values()) {
      if (a.apiName.equals(apiName)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  public String apiName() {
    return apiName;
  }

  public Family family() {
    return family;
  }

  public boolean mutating() {
    return family != Family.DESCRIBE && family != Family.DESCRIBE_UNFILTERED;
  }
}
