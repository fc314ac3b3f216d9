package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** An interface as the agent found and routed it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InterfaceStatus {
  @JsonPropertyDescription("Kernel interface name, e.g. eth1 or ens6.")
  private String name;
  @JsonPropertyDescription("MAC address of the interface.")
  private String mac;
  @JsonPropertyDescription("EC2 device index (0 is the primary ENI), from the instance metadata or spec.addresses; absent when unknown.")
  private Integer deviceIndex;
  @JsonPropertyDescription("EC2 network card index (0 on most instance types).")
  private Integer networkCard;
  @JsonPropertyDescription("IPv4 addresses on the interface, with prefix length.")
  private List<String> addresses = new ArrayList<>();
  @JsonPropertyDescription("The interface's subnet (CIDR).")
  private String subnet;
  @JsonPropertyDescription("The subnet's gateway the interface's table routes through (the first host of the subnet on AWS).")
  private String gateway;
  @JsonPropertyDescription("The route table eniroute gave the interface: spec.routing.tableBase + 100*networkCard + deviceIndex.")
  private Long table;
  @JsonPropertyDescription("Priority of the interface's ip rules: spec.routing.priorityBase + 100*networkCard + deviceIndex.")
  private Integer priority;
  @JsonPropertyDescription("Whether eniroute routes this interface; false means seen but left alone, with the reason in note.")
  private Boolean managed;
  @JsonPropertyDescription("Why an interface is not managed (excluded, no IPv4 address, a bridge or veth, ...), or other remarks.")
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
