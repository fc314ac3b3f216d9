package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Nodes this policy selects but an older policy already owns. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyConflict {
  @JsonPropertyDescription("Name of the older NodeNetworkPolicy that owns these nodes.")
  private String policy;
  @JsonPropertyDescription("Up to 20 of the nodes in conflict; nodeCount has the full number.")
  private List<String> nodes = new ArrayList<>();
  @JsonPropertyDescription("How many selected nodes the other policy owns.")
  private Integer nodeCount;

  public PolicyConflict() {}

  public PolicyConflict(String policy, List<String> nodes, Integer nodeCount) {
    this.policy = policy;
    this.nodes = nodes;
    this.nodeCount = nodeCount;
  }

  public String getPolicy() { return policy; }
  public void setPolicy(String policy) { this.policy = policy; }
  public List<String> getNodes() { return nodes; }
  public void setNodes(List<String> nodes) { this.nodes = nodes; }
  public Integer getNodeCount() { return nodeCount; }
  public void setNodeCount(Integer nodeCount) { this.nodeCount = nodeCount; }
}
