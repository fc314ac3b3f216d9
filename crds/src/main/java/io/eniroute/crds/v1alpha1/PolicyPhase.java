package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a NodeNetworkPolicy's rollout stands ({@code status.phase}). */
public enum PolicyPhase {
  /** A configuration problem stops the whole rollout; no node was changed. */
  PENDING("Pending"),
  /** Nodes are being handed the current generation (canary, then waves). */
  PROGRESSING("Progressing"),
  /** More nodes failed than maxFailures allows; nothing more is handed out until a spec edit or a retry. */
  HALTED("Halted"),
  /** Every selected node has the current generation (applied, or failed within maxFailures). */
  COMPLETE("Complete"),
  /** The policy was deleted; its nodes are reverting. */
  DELETING("Deleting");

  private final String value;

  PolicyPhase(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }
}
