package io.eniroute.operator.aws;

/**
 * Raised inside the allocator when a step cannot finish now; becomes {@link Allocation#pending}.
 * Never leaves {@link Ec2AddressAllocator}.
 */
final class AllocationPending extends RuntimeException {
  private final String reason;

  AllocationPending(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
