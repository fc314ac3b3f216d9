package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.operator.reconciler.PolicyObserver.Observation;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps each config's record of its node's EC2 instance ({@link DepartedNode}) current. A hand-out
 * writes it, but a config an older operator wrote, or one whose node got its providerID after the
 * hand-out, lacks it until the next generation: a node deleted meanwhile would keep its EC2
 * addresses. Writes only what is missing or changed, so a steady cluster costs no request.
 */
final class InstanceRecorder {
  private final ConfigWriter writer;

  InstanceRecorder(ConfigWriter writer) {
    this.writer = writer;
  }

  void record(NodeNetworkPolicy policy, Observation seen) {
    if (policy.getSpec().getAws() == null) {
      return;
    }
    for (NodeNetworkConfig config : seen.configsOf(policy.getMetadata().getName())) {
      Map<String, String> wanted = DepartedNode.annotations(seen.nodes().get(config.getMetadata().getName()));
      if (!wanted.isEmpty() && !recorded(config, wanted)) {
        writer.annotate(config, wanted);
      }
    }
  }

  private static boolean recorded(NodeNetworkConfig config, Map<String, String> wanted) {
    Map<String, String> have = config.getMetadata().getAnnotations();
    return have != null && wanted.entrySet().stream().allMatch(e -> Objects.equals(have.get(e.getKey()), e.getValue()));
  }
}
