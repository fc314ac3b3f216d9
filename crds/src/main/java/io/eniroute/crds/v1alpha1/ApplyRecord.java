package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last apply the agent made on its node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApplyRecord {
  @JsonPropertyDescription("When the apply finished (RFC 3339, UTC).")
  private String time;
  @JsonPropertyDescription("How long the apply took, probes included, in milliseconds.")
  private Long durationMillis;
  @JsonPropertyDescription("Kernel writes the apply made (iproute2 commands and sysctl writes); 0 when nothing had to change.")
  private Integer kernelWrites;
  @JsonPropertyDescription("Applied, NoChange, RolledBack, Reverted or Failed.")
  private String outcome;

  public String getTime() { return time; }
  public void setTime(String time) { this.time = time; }
  public Long getDurationMillis() { return durationMillis; }
  public void setDurationMillis(Long durationMillis) { this.durationMillis = durationMillis; }
  public Integer getKernelWrites() { return kernelWrites; }
  public void setKernelWrites(Integer kernelWrites) { this.kernelWrites = kernelWrites; }
  public String getOutcome() { return outcome; }
  public void setOutcome(String outcome) { this.outcome = outcome; }
}
