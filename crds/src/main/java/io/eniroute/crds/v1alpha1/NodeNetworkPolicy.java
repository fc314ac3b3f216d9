package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** What a user writes: which nodes, which interfaces, how to route them, how to roll it out. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames("nnp")
// kubectl get shows the priority-0 columns in this order (CrdGeneration keeps the declared order).
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase",
    getDescription = "Pending, Progressing, Halted, Complete or Deleting")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.readyNodes",
    getDescription = "Nodes running the current generation")
@AdditionalPrinterColumn(name = "Updated", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.updatedNodes",
    getDescription = "Nodes handed the current generation")
@AdditionalPrinterColumn(name = "Matched", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.matchedNodes",
    getDescription = "Nodes the selector matches and this policy owns")
@AdditionalPrinterColumn(name = "Failed", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.failedNodes",
    getDescription = "Nodes that failed the current generation")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", getDescription = "Why the policy is or is not Ready")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class NodeNetworkPolicy extends CustomResource<NodeNetworkPolicySpec, NodeNetworkPolicyStatus> {
  @Override
  @JsonPropertyDescription("What the user asks for: which nodes, which interfaces, how to route them, how to roll a change out.")
  public NodeNetworkPolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Written by the operator: rollout progress across the matched nodes, failures and conflicts. Read-only.")
  public NodeNetworkPolicyStatus getStatus() {
    return super.getStatus();
  }

  // No initSpec(): a fresh instance must have no spec. JOSDK adds its finalizer by server-side
  // applying a fresh instance with force, and a default spec there overwrote the user's fields.
}
