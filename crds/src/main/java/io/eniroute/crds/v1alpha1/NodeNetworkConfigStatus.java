package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Written by the node's agent only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeNetworkConfigStatus {
  @JsonPropertyDescription("The metadata.generation of this config that the status describes. When it is lower than metadata.generation, the agent has not acted on the latest spec yet.")
  private Long observedGeneration;
  @JsonPropertyDescription("The spec.policyGeneration the agent last applied and verified on this node. Equal to spec.policyGeneration once the node runs the current policy.")
  private Long appliedPolicyGeneration;
  @JsonPropertyDescription("One word for kubectl: Applied (the node routes as specified), Pending (the agent is working on it), RolledBack (the change broke a probe and was undone), Degraded (the change could not be applied; the node keeps what it had) or Reverted (everything eniroute added is removed).")
  private AgentResult result;
  @JsonPropertyDescription("Standard conditions. Ready, Reconciling and Stalled follow kstatus (Flux, Argo CD, kubectl wait). Applied: the current spec is in place. RolledBack: the last change failed a probe and was undone (message names the probe). Degraded: the spec could not be applied (message says why and what to fix).")
  @SchemaFrom(type = ConditionSchema[].class)
  private List<Condition> conditions = new ArrayList<>();
  @JsonPropertyDescription("Every interface the agent found on the node, managed or not, with the table and rule priority it got.")
  private List<InterfaceStatus> interfaces = new ArrayList<>();
  @JsonPropertyDescription("How many ip rules eniroute owns on the node (marked proto 228).")
  private Integer ownedRules;
  @JsonPropertyDescription("How many routes eniroute owns on the node (marked proto 228).")
  private Integer ownedRoutes;
  @JsonPropertyDescription("The last time the agent changed the node (or found nothing to change), how long it took and how it ended.")
  private ApplyRecord lastApply;
  @JsonPropertyDescription("The connectivity probes of the last apply: the gateway from every managed address, the API server, and spec.safety.tcpProbes.")
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
