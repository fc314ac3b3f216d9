package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Picks interfaces by name glob, MAC or device index. All set fields must match. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.name) || has(self.mac) || has(self.deviceIndex)",
    message = "an interface matcher needs at least one of name, mac or deviceIndex")
public class InterfaceMatcher {
  @JsonPropertyDescription("Interface name or glob (e.g. eth1, ens*, eth[1-3]).")
  @Pattern(Patterns.IFNAME_GLOB)
  @Size(min = 1, max = 15)
  private String name;

  @JsonPropertyDescription("MAC address, lower case (e.g. 0a:1b:2c:3d:4e:5f).")
  @Pattern(Patterns.MAC)
  // A bound length keeps CEL rules over MACs within the API server's cost budget.
  @Size(max = 17)
  private String mac;

  @JsonPropertyDescription("EC2 device index (0 is the primary interface).")
  @Min(0)
  @Max(99)
  private Integer deviceIndex;

  public InterfaceMatcher() {}

  public InterfaceMatcher(String name, String mac, Integer deviceIndex) {
    this.name = name;
    this.mac = mac;
    this.deviceIndex = deviceIndex;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getMac() { return mac; }
  public void setMac(String mac) { this.mac = mac; }
  public Integer getDeviceIndex() { return deviceIndex; }
  public void setDeviceIndex(Integer deviceIndex) { this.deviceIndex = deviceIndex; }
}
