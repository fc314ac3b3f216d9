package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One connectivity probe, as last run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProbeResult {
  /** e.g. gateway:eth1:10.0.0.131, apiserver, tcp:10.0.0.10:443 */
  private String name;
  private Boolean passed;
  private Boolean passedBefore;
  private String message;
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
