package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** A node agent's summary of its last pass ({@code NodeNetworkConfig status.result}). */
public enum AgentResult {
  /** The spec is in place and its probes pass. */
  APPLIED("Applied"),
  /** The change broke a probe that passed before it and was undone; the node keeps its last good routing. */
  ROLLED_BACK("RolledBack"),
  /** Nothing was applied (bad config, foreign conflict, kernel error). */
  DEGRADED("Degraded"),
  /** Everything eniroute put on the node is gone ({@code state: absent}). */
  REVERTED("Reverted"),
  /** A pass toward a generation not reported yet is running. */
  PENDING("Pending");

  private final String value;

  AgentResult(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }
}
