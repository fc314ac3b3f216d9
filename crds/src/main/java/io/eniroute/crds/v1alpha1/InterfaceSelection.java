package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * Which interfaces get their own route table. Empty {@code include} means every interface that
 * has an IPv4 address. Bridges, CNI veths and loopback are never managed, whatever is included.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InterfaceSelection {
  @JsonPropertyDescription("Interfaces to manage; empty means every interface with an IPv4 address.")
  @Size(max = 64)
  private List<InterfaceMatcher> include = new ArrayList<>();

  @JsonPropertyDescription("Interfaces never to manage, even when included.")
  @Size(max = 64)
  private List<InterfaceMatcher> exclude = new ArrayList<>();

  @JsonPropertyDescription(
      "Give the primary interface (device index 0) its own table and rules too. Default true.")
  @Default("true")
  private Boolean primaryRules = Boolean.TRUE;

  public List<InterfaceMatcher> getInclude() { return include; }
  public void setInclude(List<InterfaceMatcher> include) { this.include = include; }
  public List<InterfaceMatcher> getExclude() { return exclude; }
  public void setExclude(List<InterfaceMatcher> exclude) { this.exclude = exclude; }
  public Boolean getPrimaryRules() { return primaryRules; }
  public void setPrimaryRules(Boolean primaryRules) { this.primaryRules = primaryRules; }
}
