package io.eniroute.agent.kernel;

/** iproute2 or a sysctl could not be run or read. */
public class KernelException extends RuntimeException {
  public KernelException(String message) {
    super(message);
  }

  public KernelException(String message, Throwable cause) {
    super(message, cause);
  }
}
