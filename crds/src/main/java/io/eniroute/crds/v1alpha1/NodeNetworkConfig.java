package io.eniroute.crds.v1alpha1;

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
@AdditionalPrinterColumn(name = "Policy", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.policy")
@AdditionalPrinterColumn(name = "State", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.state")
@AdditionalPrinterColumn(name = "Wanted", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".spec.policyGeneration")
@AdditionalPrinterColumn(name = "Applied", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.appliedPolicyGeneration")
@AdditionalPrinterColumn(name = "Result", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.result")
@AdditionalPrinterColumn(name = "Rules", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.ownedRules")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class NodeNetworkConfig extends CustomResource<NodeNetworkConfigSpec, NodeNetworkConfigStatus> {
  // No initSpec(): a fresh instance must have no spec. JOSDK adds its finalizer by server-side
  // applying a fresh instance with force, and a default spec there overwrote the user's fields.
}
