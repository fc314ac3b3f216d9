package io.eniroute.operator.aws;

/**
 * An EC2 call that failed, with EC2's error code (e.g. InsufficientFreeAddressesInSubnet) or one
 * of eniroute's own: {@link #CLIENT_THROTTLED} when the client-side limiter would have waited too
 * long, {@link #UNREACHABLE} when EC2 could not be reached.
 */
public final class Ec2CallException extends RuntimeException {
  public static final String CLIENT_THROTTLED = "ClientThrottled";
  public static final String UNREACHABLE = "Unreachable";

  private final String code;
  private final String action;

  public Ec2CallException(String action, String code, String message) {
    super(action + ": " + code + ": " + message);
    this.action = action;
    this.code = code;
  }

  public String code() {
    return code;
  }

  public String action() {
    return action;
  }
}
