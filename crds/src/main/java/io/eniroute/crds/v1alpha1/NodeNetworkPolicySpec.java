package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeNetworkPolicySpec {
  @JsonPropertyDescription("Nodes this policy applies to (matchLabels / matchExpressions). An empty selector selects every node.")
  @Required
  @SchemaFrom(type = LabelSelectorSchema.class)
  private LabelSelector nodeSelector = new LabelSelector();

  @JsonPropertyDescription("Which interfaces get their own route table.")
  private InterfaceSelection interfaces = new InterfaceSelection();

  @JsonPropertyDescription("Table and rule numbering, main-table handling and sysctls.")
  private RoutingSettings routing = new RoutingSettings();

  @JsonPropertyDescription("Probes that guard every change on a node.")
  private SafetySettings safety = new SafetySettings();

  @JsonPropertyDescription("How a new generation is rolled out across the selected nodes.")
  private RolloutSettings rollout = new RolloutSettings();

  @JsonPropertyDescription("Optional: make EC2 give every node extra ENIs, secondary IPs and Elastic IPs.")
  private AwsSettings aws;

  public LabelSelector getNodeSelector() { return nodeSelector; }
  public void setNodeSelector(LabelSelector nodeSelector) { this.nodeSelector = nodeSelector; }
  public InterfaceSelection getInterfaces() { return interfaces; }
  public void setInterfaces(InterfaceSelection interfaces) { this.interfaces = interfaces; }
  public RoutingSettings getRouting() { return routing; }
  public void setRouting(RoutingSettings routing) { this.routing = routing; }
  public SafetySettings getSafety() { return safety; }
  public void setSafety(SafetySettings safety) { this.safety = safety; }
  public RolloutSettings getRollout() { return rollout; }
  public void setRollout(RolloutSettings rollout) { this.rollout = rollout; }
  public AwsSettings getAws() { return aws; }
  public void setAws(AwsSettings aws) { this.aws = aws; }
}
