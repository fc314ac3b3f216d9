package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A node that failed the current generation, and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeFailure {
  private String node;
  /** RolledBack, Degraded, Timeout, AwsLimit ... */
  private String reason;
  private String message;

  public NodeFailure() {}

  public NodeFailure(String node, String reason, String message) {
    this.node = node;
    this.reason = reason;
    this.message = message;
  }

  public String getNode() { return node; }
  public void setNode(String node) { this.node = node; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
