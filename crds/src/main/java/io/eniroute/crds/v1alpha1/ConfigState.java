package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether eniroute's routing should be on the node ({@code present}) or removed ({@code absent}). */
public enum ConfigState {
  PRESENT("present"),
  ABSENT("absent");

  private final String value;

  ConfigState(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }
}
