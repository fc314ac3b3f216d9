package io.eniroute.operator.aws;

/** Turns an EC2 error code into a condition reason and a sentence for a person. */
final class Ec2Errors {
  private Ec2Errors() {}

  static AllocationPending pending(Ec2CallException e, String instanceId) {
    String what = e.action() + " for " + instanceId + " failed: " + e.code() + " (" + e.getMessage() + ")";
    if (Ec2CallException.SERVER_ERRORS.contains(e.code())) {
      return new AllocationPending("Ec2Unavailable", what + "; EC2 failed on its side and may have done the call anyway: "
          + "eniroute retries, reading EC2 back first, so nothing is made twice");
    }
    return switch (e.code()) {
      case "RequestLimitExceeded", "Throttling", Ec2CallException.CLIENT_THROTTLED ->
          new AllocationPending("Throttled", what + "; EC2 is rate limiting, eniroute retries later");
      case "InsufficientFreeAddressesInSubnet" ->
          new AllocationPending("SubnetFull", what + "; the subnet has no free addresses: free some, or set "
              + "spec.aws.subnetId to a larger subnet; eniroute retries after a cool-down");
      case "PrivateIpAddressLimitExceeded" ->
          new AllocationPending("IpAddressLimit", what + "; the interface holds as many addresses as its instance type "
              + "allows: lower spec.aws.secondaryIpsPerInterface");
      case "AttachmentLimitExceeded" ->
          new AllocationPending("AttachmentLimit", what + "; the instance cannot take another interface: lower "
              + "spec.aws.interfacesPerNode or detach interfaces that are not eniroute's");
      case "InvalidNetworkInterfaceID.NotFound", "InvalidAttachmentID.NotFound", "InvalidAllocationID.NotFound",
          "InvalidAssociationID.NotFound" ->
          new AllocationPending("NotFound", what + "; EC2 does not show the resource yet (eventual consistency), "
              + "eniroute retries later");
      case "IdempotentParameterMismatch" ->
          new AllocationPending("IdempotentParameterMismatch", what + "; an earlier CreateNetworkInterface with the "
              + "same client token used other parameters; eniroute retries and reuses what it created");
      case "UnauthorizedOperation", "AuthFailure" ->
          new AllocationPending("Unauthorized", what + "; grant the operator's role the IAM policy in docs/aws.md");
      case Ec2CallException.UNREACHABLE ->
          new AllocationPending("Ec2Unreachable", what + "; eniroute retries, reading EC2 back first (the call may have "
              + "been done); if it persists, check the operator's network path, region and endpoint");
      default -> new AllocationPending("Ec2Error", what);
    };
  }
}
