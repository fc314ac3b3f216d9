package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * How tables and rules are numbered and what else the agent sets. An interface with network
 * card C and device index D gets table {@code tableBase + 100*C + D} and its rules priority
 * {@code priorityBase + 100*C + D} (the numbering amazon-ec2-net-utils uses).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.priorityBase + 1600 < 32766",
    message = "priorityBase + 1600 must stay below 32766 (rules use priorityBase + 100*networkCard + deviceIndex, up to 16 cards); lower spec.routing.priorityBase",
    fieldPath = ".priorityBase")
@ValidationRule(
    value = "!has(self.mainDestinations) || size(self.mainDestinations) == 0 || self.priorityBase > 1",
    message = "mainDestinations rules sit at priorityBase - 1, so priorityBase must be at least 2",
    fieldPath = ".priorityBase")
public class RoutingSettings {
  @JsonPropertyDescription(
      "First route table id. Tables 253-255 are the kernel's (default, main, local) and "
          + "1-252 are commonly used by other tools (the AWS VPC CNI uses 2..n), so the base must be >= 256. Default 10000.")
  @Min(256)
  @Max(4294965694.0)
  @Default("10000")
  private Long tableBase = 10000L;

  @JsonPropertyDescription(
      "First rule priority. The AWS VPC CNI uses 512/1024/1536; the main table is at 32766. Default 10000.")
  @Min(1)
  @Max(32765)
  @Default("10000")
  private Integer priorityBase = 10000;

  @JsonPropertyDescription(
      "RemoveDuplicates deletes the main table's subnet routes of non-primary interfaces (restored on revert); Keep leaves main alone.")
  @Default("RemoveDuplicates")
  private MainTableMode mainTable = MainTableMode.REMOVE_DUPLICATES;

  @JsonPropertyDescription(
      "Destinations that must keep using the main table (docker0, pod CIDRs): a 'to CIDR lookup main' rule is put ahead of the per-address rules.")
  @Size(max = 32)
  private List<@Pattern(Patterns.IPV4_CIDR) String> mainDestinations = new ArrayList<>();

  @JsonPropertyDescription(
      "Gateway for every managed interface. Default: the subnet's first host (the VPC convention, e.g. 10.0.0.1 in 10.0.0.0/24).")
  @Pattern(Patterns.IPV4)
  private String gateway;

  @JsonPropertyDescription("rp_filter for managed interfaces: Off, Strict or Loose. Default Loose.")
  @Default("Loose")
  private RpFilterMode rpFilter = RpFilterMode.LOOSE;

  @JsonPropertyDescription(
      "Set arp_ignore=1 and arp_announce=2 on managed interfaces, so each interface answers ARP only for its own addresses. Default true.")
  @Default("true")
  private Boolean arpHardening = Boolean.TRUE;

  public Long getTableBase() { return tableBase; }
  public void setTableBase(Long tableBase) { this.tableBase = tableBase; }
  public Integer getPriorityBase() { return priorityBase; }
  public void setPriorityBase(Integer priorityBase) { this.priorityBase = priorityBase; }
  public MainTableMode getMainTable() { return mainTable; }
  public void setMainTable(MainTableMode mainTable) { this.mainTable = mainTable; }
  public List<String> getMainDestinations() { return mainDestinations; }
  public void setMainDestinations(List<String> mainDestinations) { this.mainDestinations = mainDestinations; }
  public String getGateway() { return gateway; }
  public void setGateway(String gateway) { this.gateway = gateway; }
  public RpFilterMode getRpFilter() { return rpFilter; }
  public void setRpFilter(RpFilterMode rpFilter) { this.rpFilter = rpFilter; }
  public Boolean getArpHardening() { return arpHardening; }
  public void setArpHardening(Boolean arpHardening) { this.arpHardening = arpHardening; }
}
