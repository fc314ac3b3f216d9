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
 * Optional EC2 address management. When set, the operator makes each selected node's instance
 * have these interfaces and addresses, and the agent then routes exactly what EC2 assigned.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.elasticIps) || self.secondaryIpsPerInterface > 0",
    message = "elasticIps associates one Elastic IP per secondary address: set spec.aws.secondaryIpsPerInterface to at least 1",
    fieldPath = ".secondaryIpsPerInterface")
public class AwsSettings {
  @JsonPropertyDescription("Region; default: the node's topology.kubernetes.io/region label, then the SDK's default chain.")
  @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]$")
  private String region;

  @JsonPropertyDescription("Interfaces (ENIs) each instance must have, the primary included. Default 1: add none.")
  @Min(1)
  @Max(15)
  @Default("1")
  private Integer interfacesPerNode = 1;

  @JsonPropertyDescription("Subnet for the ENIs eniroute creates. Default: the primary interface's subnet.")
  @Pattern(Patterns.SUBNET_ID)
  private String subnetId;

  @JsonPropertyDescription("Security groups for the ENIs eniroute creates. Default: the primary interface's groups.")
  @Size(max = 5)
  private List<@Pattern(Patterns.SECURITY_GROUP_ID) String> securityGroupIds = new ArrayList<>();

  @JsonPropertyDescription("Secondary private IPv4 addresses each managed interface must have. Default 0.")
  @Min(0)
  @Max(49)
  @Default("0")
  private Integer secondaryIpsPerInterface = 0;

  @JsonPropertyDescription("Associate one Elastic IP from a tagged pool to every secondary address.")
  private ElasticIpPool elasticIps;

  @JsonPropertyDescription("Existing interfaces or addresses eniroute should treat as its own. Default: none; "
      + "eniroute owns only what it created or assigned, plus the node's primary address.")
  private AwsAdoption adopt;

  public String getRegion() { return region; }
  public void setRegion(String region) { this.region = region; }
  public Integer getInterfacesPerNode() { return interfacesPerNode; }
  public void setInterfacesPerNode(Integer interfacesPerNode) { this.interfacesPerNode = interfacesPerNode; }
  public String getSubnetId() { return subnetId; }
  public void setSubnetId(String subnetId) { this.subnetId = subnetId; }
  public List<String> getSecurityGroupIds() { return securityGroupIds; }
  public void setSecurityGroupIds(List<String> securityGroupIds) { this.securityGroupIds = securityGroupIds; }
  public Integer getSecondaryIpsPerInterface() { return secondaryIpsPerInterface; }
  public void setSecondaryIpsPerInterface(Integer secondaryIpsPerInterface) { this.secondaryIpsPerInterface = secondaryIpsPerInterface; }
  public ElasticIpPool getElasticIps() { return elasticIps; }
  public void setElasticIps(ElasticIpPool elasticIps) { this.elasticIps = elasticIps; }
  public AwsAdoption getAdopt() { return adopt; }
  public void setAdopt(AwsAdoption adopt) { this.adopt = adopt; }
}
