package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Written by the node's agent only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeNetworkConfigStatus {
  /** metadata.generation of the config this status describes. */
  private Long observedGeneration;
  /** spec.policyGeneration of the config the agent last applied successfully. */
  private Long appliedPolicyGeneration;
  /** Short summary for kubectl: Applied, RolledBack, Degraded, Reverted, Pending. */
  private AgentResult result;
  /** Ready, Reconciling, Stalled (kstatus), and Applied, Degraded, RolledBack. */
  private List<Condition> conditions = new ArrayList<>();
  private List<InterfaceStatus> interfaces = new ArrayList<>();
  private Integer ownedRules;
  private Integer ownedRoutes;
  private ApplyRecord lastApply;
  private List<ProbeResult> probes = new ArrayList<>();

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public Long getAppliedPolicyGeneration() { return appliedPolicyGeneration; }
  public void setAppliedPolicyGeneration(Long appliedPolicyGeneration) { this.appliedPolicyGeneration = appliedPolicyGeneration; }
  public AgentResult getResult() { return result; }
  public void setResult(AgentResult result) { this.result = result; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public List<InterfaceStatus> getInterfaces() { return interfaces; }
  public void setInterfaces(List<InterfaceStatus> interfaces) { this.interfaces = interfaces; }
  public Integer getOwnedRules() { return ownedRules; }
  public void setOwnedRules(Integer ownedRules) { this.ownedRules = ownedRules; }
  public Integer getOwnedRoutes() { return ownedRoutes; }
  public void setOwnedRoutes(Integer ownedRoutes) { this.ownedRoutes = ownedRoutes; }
  public ApplyRecord getLastApply() { return lastApply; }
  public void setLastApply(ApplyRecord lastApply) { this.lastApply = lastApply; }
  public List<ProbeResult> getProbes() { return probes; }
  public void setProbes(List<ProbeResult> probes) { this.probes = probes; }
}
