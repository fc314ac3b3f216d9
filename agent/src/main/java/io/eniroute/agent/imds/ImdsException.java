package io.eniroute.agent.imds;

/** The metadata service could not answer (unreachable, timed out, or failing after retries). */
public final class ImdsException extends RuntimeException {
  public ImdsException(String message, Throwable cause) {
    super(message, cause);
  }
}
