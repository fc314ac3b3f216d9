package io.eniroute.crds;

/**
 * One reason the API server would refuse a document: the field it is about, in the API server's
 * notation ({@code spec.routing.priorityBase}, {@code spec.addresses[1].mac}), and the message.
 */
public record Violation(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
