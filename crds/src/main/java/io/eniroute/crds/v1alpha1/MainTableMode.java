package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What to do with the duplicate subnet routes the kernel puts in the main table for every
 * non-primary interface of the same subnet (step 4 of the seed's fix).
 */
public enum MainTableMode {
  /** Remove them (restored on revert): main keeps one route per subnet, via the primary. */
  REMOVE_DUPLICATES("RemoveDuplicates"),
  /** Leave main untouched. */
  KEEP("Keep");

  private final String value;

  MainTableMode(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }
}
