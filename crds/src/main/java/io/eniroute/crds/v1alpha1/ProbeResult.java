package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One connectivity probe, as last run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProbeResult {
  @JsonPropertyDescription("Which probe: gateway:<interface>:<source address>, apiserver, or tcp:<address>:<port> for a spec.safety.tcpProbes target.")
  private String name;
  @JsonPropertyDescription("Whether the probe succeeded after the change.")
  private Boolean passed;
  @JsonPropertyDescription("Whether the probe succeeded before the change. A probe that already failed before does not cause a rollback.")
  private Boolean passedBefore;
  @JsonPropertyDescription("What went wrong, when the probe failed.")
  private String message;
  @JsonPropertyDescription("How long the probe took, in milliseconds.")
  private Long millis;

  public ProbeResult() {}

  public ProbeResult(String name, Boolean passed, Boolean passedBefore, String message, Long millis) {
    this.name = name;
    this.passed = passed;
    this.passedBefore = passedBefore;
    this.message = message;
    this.millis = millis;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Boolean getPassed() { return passed; }
  public void setPassed(Boolean passed) { this.passed = passed; }
  public Boolean getPassedBefore() { return passedBefore; }
  public void setPassedBefore(Boolean passedBefore) { this.passedBefore = passedBefore; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public Long getMillis() { return millis; }
  public void setMillis(Long millis) { this.millis = millis; }
}
