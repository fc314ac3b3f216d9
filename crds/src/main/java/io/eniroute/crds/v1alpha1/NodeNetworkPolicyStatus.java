package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Written by the operator only. Counts are for {@code observedGeneration}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeNetworkPolicyStatus {
  private Long observedGeneration;
  /** Ready, Reconciling, Stalled, Degraded, Conflict (and AwsAddressesReady with spec.aws). */
  private List<Condition> conditions = new ArrayList<>();
  /** Pending, Progressing, Halted, Complete, Deleting. */
  private PolicyPhase phase;
  /** Nodes the selector matches and this policy owns. */
  private Integer matchedNodes;
  /** Nodes handed the current generation. */
  private Integer updatedNodes;
  /** Nodes whose agent reported the current generation Applied. */
  private Integer readyNodes;
  private Integer failedNodes;
  /** Nodes still waiting for the current generation. */
  private Integer pendingNodes;
  /** At most 20 entries; failedNodes has the full number. */
  private List<NodeFailure> failingNodes = new ArrayList<>();
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
