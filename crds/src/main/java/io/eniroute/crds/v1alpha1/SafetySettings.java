package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * Connectivity probes run before and after every change. Only a probe that passed before the
 * change can fail it; a failed change is rolled back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SafetySettings {
  @JsonPropertyDescription("Time for all probes of one check together, in seconds. Default 10.")
  @Min(1)
  @Max(300)
  @Default("10")
  private Integer probeTimeoutSeconds = 10;

  @JsonPropertyDescription(
      "Probe the gateway from every managed source address through its own table. Default true.")
  @Default("true")
  private Boolean gatewayProbe = Boolean.TRUE;

  @JsonPropertyDescription("Probe the Kubernetes API server (TCP) when running in a cluster. Default true.")
  @Default("true")
  private Boolean apiServerProbe = Boolean.TRUE;

  @JsonPropertyDescription("Extra TCP targets (host:port) that must stay reachable.")
  @Size(max = 16)
  private List<@Pattern(Patterns.HOST_PORT) String> tcpProbes = new ArrayList<>();

  public Integer getProbeTimeoutSeconds() { return probeTimeoutSeconds; }
  public void setProbeTimeoutSeconds(Integer probeTimeoutSeconds) { this.probeTimeoutSeconds = probeTimeoutSeconds; }
  public Boolean getGatewayProbe() { return gatewayProbe; }
  public void setGatewayProbe(Boolean gatewayProbe) { this.gatewayProbe = gatewayProbe; }
  public Boolean getApiServerProbe() { return apiServerProbe; }
  public void setApiServerProbe(Boolean apiServerProbe) { this.apiServerProbe = apiServerProbe; }
  public List<String> getTcpProbes() { return tcpProbes; }
  public void setTcpProbes(List<String> tcpProbes) { this.tcpProbes = tcpProbes; }
}
