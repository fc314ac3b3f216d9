package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Concrete addresses an interface (found by MAC) must carry, as the operator allocated them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InterfaceAddresses {
  @JsonPropertyDescription("MAC of the interface, lower case.")
  @Required
  @Pattern(Patterns.MAC)
  @Size(max = 17) // the pattern's length, stated so the API server can bound the cost of the spec's CEL rule
  private String mac;

  @JsonPropertyDescription("EC2 interface id, for reference.")
  @Pattern(Patterns.ENI_ID)
  private String interfaceId;

  @JsonPropertyDescription("EC2 device index; when set it decides the table number instead of the kernel's order.")
  @Min(0)
  @Max(127)
  private Integer deviceIndex;

  @JsonPropertyDescription("EC2 network card index. Default 0.")
  @Min(0)
  @Max(15)
  private Integer networkCard;

  @JsonPropertyDescription("IPv4 addresses (optionally with prefix length) the interface must have.")
  @Size(max = 64)
  private List<@Pattern(Patterns.IPV4_MAYBE_CIDR) String> addresses = new ArrayList<>();

  public InterfaceAddresses() {}

  public InterfaceAddresses(String mac, List<String> addresses) {
    this.mac = mac;
    this.addresses = new ArrayList<>(addresses);
  }

  public String getMac() { return mac; }
  public void setMac(String mac) { this.mac = mac; }
  public String getInterfaceId() { return interfaceId; }
  public void setInterfaceId(String interfaceId) { this.interfaceId = interfaceId; }
  public Integer getDeviceIndex() { return deviceIndex; }
  public void setDeviceIndex(Integer deviceIndex) { this.deviceIndex = deviceIndex; }
  public Integer getNetworkCard() { return networkCard; }
  public void setNetworkCard(Integer networkCard) { this.networkCard = networkCard; }
  public List<String> getAddresses() { return addresses; }
  public void setAddresses(List<String> addresses) { this.addresses = addresses; }
}
