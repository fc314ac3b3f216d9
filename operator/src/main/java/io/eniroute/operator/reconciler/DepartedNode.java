package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.operator.aws.Ec2Target;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A node's EC2 identity kept on its NodeNetworkConfig (annotations), so that when the Node is
 * deleted (scale-in, replacement) the Elastic IPs and interfaces eniroute gave its instance can
 * still be released: the allocator needs only the name, the providerID and the region label.
 */
final class DepartedNode {
  static final String PROVIDER_ID = Api.GROUP + "/provider-id";
  static final String REGION = Api.GROUP + "/region";

  private DepartedNode() {}

  /** The annotations that describe {@code node}'s instance (empty for a node without a providerID). */
  static Map<String, String> annotations(Node node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null || node.getSpec() == null || node.getSpec().getProviderID() == null) {
      return out;
    }
    out.put(PROVIDER_ID, node.getSpec().getProviderID());
    Map<String, String> labels = node.getMetadata().getLabels();
    String region = labels == null ? null : labels.get(Ec2Target.REGION_LABEL);
    if (region != null) {
      out.put(REGION, region);
    }
    return out;
  }

  /** The Node as the allocator needs it, rebuilt from the config; empty when the config never recorded one. */
  static Optional<Node> of(NodeNetworkConfig config) {
    Map<String, String> a = config.getMetadata().getAnnotations();
    String providerId = a == null ? null : a.get(PROVIDER_ID);
    if (providerId == null) {
      return Optional.empty();
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (a.get(REGION) != null) {
      labels.put(Ec2Target.REGION_LABEL, a.get(REGION));
    }
    return Optional.of(new NodeBuilder().withNewMetadata().withName(config.getMetadata().getName()).withLabels(labels).endMetadata()
        .withNewSpec().withProviderID(providerId).endSpec().build());
  }
}
