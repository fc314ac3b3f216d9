package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One per node, named after the node. The operator writes the spec, the node's agent writes the
 * status. The same document, as a YAML file, is the standalone agent's configuration.
 */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames("nnc")
// kubectl get shows the priority-0 columns in this order (CrdGeneration keeps the declared order);
// priority-1 columns appear with -o wide.
@AdditionalPrinterColumn(name = "Policy", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.policy",
    getDescription = "The NodeNetworkPolicy this config comes from")
@AdditionalPrinterColumn(name = "Wanted", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".spec.policyGeneration",
    getDescription = "Policy generation the operator wants on the node")
@AdditionalPrinterColumn(name = "Applied", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.appliedPolicyGeneration",
    getDescription = "Policy generation the agent last applied")
@AdditionalPrinterColumn(name = "Result", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.result",
    getDescription = "Applied, Pending, RolledBack, Degraded or Reverted")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Applied\")].reason", getDescription = "Why the spec is or is not applied")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(name = "State", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.state", priority = 1,
    getDescription = "present or absent")
@AdditionalPrinterColumn(name = "Rules", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.ownedRules", priority = 1,
    getDescription = "ip rules eniroute owns on the node")
public class NodeNetworkConfig extends CustomResource<NodeNetworkConfigSpec, NodeNetworkConfigStatus> {
  @Override
  @JsonPropertyDescription("Written by the operator from the node's policy (or by hand for a standalone agent): what the node's routing must be.")
  public NodeNetworkConfigSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Written by the node's agent: what it found, what it applied, and the probes that verified it. Read-only.")
  public NodeNetworkConfigStatus getStatus() {
    return super.getStatus();
  }

  // No initSpec(): a fresh instance must have no spec. JOSDK adds its finalizer by server-side
  // applying a fresh instance with force, and a default spec there overwrote the user's fields.
}
