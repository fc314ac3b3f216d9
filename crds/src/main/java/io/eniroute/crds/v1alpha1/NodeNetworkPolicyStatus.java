package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Written by the operator only. Counts are for {@code observedGeneration}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeNetworkPolicyStatus {
  @JsonPropertyDescription("The metadata.generation of the policy that the counts and conditions below describe. When it is lower than metadata.generation, the operator has not processed the latest edit yet.")
  private Long observedGeneration;
  @JsonPropertyDescription("Standard conditions. Ready: every matched node runs this generation. Reconciling: a rollout is under way. Stalled: the rollout halted and needs a fix or a retry (kstatus: Flux, Argo CD, kubectl wait). Degraded: nodes failed or the rollout halted (reason and message say why). Conflict: an older policy already owns some of the selected nodes.")
  @SchemaFrom(type = ConditionSchema[].class)
  private List<Condition> conditions = new ArrayList<>();
  @JsonPropertyDescription("One word for the whole rollout: Pending (waiting to start: invalid selector, missing AWS setup), Progressing, Halted (too many nodes failed; see failingNodes), Complete, or Deleting (nodes are reverting before the policy goes away).")
  private PolicyPhase phase;
  @JsonPropertyDescription("Nodes the nodeSelector matches and this policy owns (nodes owned by an older policy are counted under conflicts instead).")
  private Integer matchedNodes;
  @JsonPropertyDescription("Matched nodes that have been handed the current generation of the policy.")
  private Integer updatedNodes;
  @JsonPropertyDescription("Matched nodes whose agent reported the current generation as applied and verified by its probes.")
  private Integer readyNodes;
  @JsonPropertyDescription("Matched nodes that failed the current generation (rolled back, degraded or timed out). The rollout halts when this exceeds spec.rollout.maxFailures.")
  private Integer failedNodes;
  @JsonPropertyDescription("Matched nodes still waiting for the current generation (not handed out yet, or no verdict from the agent yet).")
  private Integer pendingNodes;
  @JsonPropertyDescription("Up to 20 failed nodes with the reason and message each agent reported; failedNodes has the full count. Start troubleshooting here.")
  private List<NodeFailure> failingNodes = new ArrayList<>();
  @JsonPropertyDescription("Policies that already own some of the nodes this policy selects. A node belongs to the oldest matching policy; narrow one of the selectors to resolve the conflict.")
  private List<PolicyConflict> conflicts = new ArrayList<>();

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public PolicyPhase getPhase() { return phase; }
  public void setPhase(PolicyPhase phase) { this.phase = phase; }
  public Integer getMatchedNodes() { return matchedNodes; }
  public void setMatchedNodes(Integer matchedNodes) { this.matchedNodes = matchedNodes; }
  public Integer getUpdatedNodes() { return updatedNodes; }
  public void setUpdatedNodes(Integer updatedNodes) { this.updatedNodes = updatedNodes; }
  public Integer getReadyNodes() { return readyNodes; }
  public void setReadyNodes(Integer readyNodes) { this.readyNodes = readyNodes; }
  public Integer getFailedNodes() { return failedNodes; }
  public void setFailedNodes(Integer failedNodes) { this.failedNodes = failedNodes; }
  public Integer getPendingNodes() { return pendingNodes; }
  public void setPendingNodes(Integer pendingNodes) { this.pendingNodes = pendingNodes; }
  public List<NodeFailure> getFailingNodes() { return failingNodes; }
  public void setFailingNodes(List<NodeFailure> failingNodes) { this.failingNodes = failingNodes; }
  public List<PolicyConflict> getConflicts() { return conflicts; }
  public void setConflicts(List<PolicyConflict> conflicts) { this.conflicts = conflicts; }
}
