package io.eniroute.lab;

/** A lab operation failed (a command exited non-zero, or the lab is used after close). */
public class LabException extends RuntimeException {
  public LabException(String message) {
    super(message);
  }
}
