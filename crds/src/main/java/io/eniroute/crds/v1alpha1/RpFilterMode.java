package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** Reverse-path filter per managed interface ({@code net.ipv4.conf.IF.rp_filter}). */
public enum RpFilterMode {
  OFF("Off", 0),
  STRICT("Strict", 1),
  LOOSE("Loose", 2);

  private final String value;
  private final int sysctl;

  RpFilterMode(String value, int sysctl) {
    this.value = value;
    this.sysctl = sysctl;
  }

  @JsonValue
  public String value() {
    return value;
  }

  /** The value written to the sysctl. */
  public int sysctl() {
    return sysctl;
  }
}
