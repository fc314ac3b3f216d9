package io.eniroute.crds.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** What a user writes: which nodes, which interfaces, how to route them, how to roll it out. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames("nnp")
@AdditionalPrinterColumn(name = "Matched", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.matchedNodes")
@AdditionalPrinterColumn(name = "Updated", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.updatedNodes")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.readyNodes")
@AdditionalPrinterColumn(name = "Failed", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.failedNodes")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class NodeNetworkPolicy extends CustomResource<NodeNetworkPolicySpec, NodeNetworkPolicyStatus> {
  // No initSpec(): a fresh instance must have no spec. JOSDK adds its finalizer by server-side
  // applying a fresh instance with force, and a default spec there overwrote the user's fields.
}
