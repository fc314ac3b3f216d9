package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** An interface as the agent found and routed it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InterfaceStatus {
  private String name;
  private String mac;
  private Integer deviceIndex;
  private Integer networkCard;
  private List<String> addresses = new ArrayList<>();
  private String subnet;
  private String gateway;
  private Long table;
  private Integer priority;
  /** Whether eniroute manages it (false: seen but excluded, with the reason in {@code note}). */
  private Boolean managed;
  private String note;
  @JsonPropertyDescription("Addresses the config asks for that the agent did NOT add because the node already "
      + "routes them elsewhere (e.g. a VPC CNI pod's /32 route to its veth, or another owner's 'to <addr> lookup main' "
      + "rule), each with the reason. The rest of the config is applied.")
  private List<String> conflicts;

  public List<String> getConflicts() { return conflicts; }
  public void setConflicts(List<String> conflicts) { this.conflicts = conflicts; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getMac() { return mac; }
  public void setMac(String mac) { this.mac = mac; }
  public Integer getDeviceIndex() { return deviceIndex; }
  public void setDeviceIndex(Integer deviceIndex) { this.deviceIndex = deviceIndex; }
  public Integer getNetworkCard() { return networkCard; }
  public void setNetworkCard(Integer networkCard) { this.networkCard = networkCard; }
  public List<String> getAddresses() { return addresses; }
  public void setAddresses(List<String> addresses) { this.addresses = addresses; }
  public String getSubnet() { return subnet; }
  public void setSubnet(String subnet) { this.subnet = subnet; }
  public String getGateway() { return gateway; }
  public void setGateway(String gateway) { this.gateway = gateway; }
  public Long getTable() { return table; }
  public void setTable(Long table) { this.table = table; }
  public Integer getPriority() { return priority; }
  public void setPriority(Integer priority) { this.priority = priority; }
  public Boolean getManaged() { return managed; }
  public void setManaged(Boolean managed) { this.managed = managed; }
  public String getNote() { return note; }
  public void setNote(String note) { this.note = note; }
}
