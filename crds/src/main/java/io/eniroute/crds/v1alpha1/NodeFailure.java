package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A node that failed the current generation, and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeFailure {
  @JsonPropertyDescription("Name of the Node that failed.")
  private String node;
  @JsonPropertyDescription("Why it failed, as one CamelCase word: RolledBack (a probe failed after the change, the node was restored), Degraded (the change could not be applied), Timeout (the agent did not report in time), AwsLimit (EC2 could not provide the addresses), ...")
  private String reason;
  @JsonPropertyDescription("What the agent or operator said about the failure, e.g. the probe that failed. The node's NodeNetworkConfig status has the full detail.")
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
