package io.eniroute.operator.aws;

import java.util.Set;

/**
 * An EC2 call that failed, with EC2's error code (e.g. InsufficientFreeAddressesInSubnet) or one
 * of eniroute's own: {@link #CLIENT_THROTTLED} when the client-side limiter would have waited too
 * long, {@link #UNREACHABLE} when EC2 could not be reached.
 */
public final class Ec2CallException extends RuntimeException {
  public static final String CLIENT_THROTTLED = "ClientThrottled";
  public static final String UNREACHABLE = "Unreachable";

  /** EC2's codes for a failure on its side (HTTP 500/503): the call may have been performed. */
  public static final Set<String> SERVER_ERRORS = Set.of("InternalError", "InternalFailure", "ServiceUnavailable",
      "Unavailable");

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

  /** True when EC2 may have performed the call although it failed (a server error, or no answer at all). */
  public boolean maybePerformed() {
    return SERVER_ERRORS.contains(code) || UNREACHABLE.equals(code);
  }
}
