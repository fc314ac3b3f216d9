package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import java.util.ArrayList;
import java.util.List;

/** The NodeNetworkConfig spec a policy's current generation asks for on one node. */
final class ConfigSpecs {
  private ConfigSpecs() {}

  /** {@code retryToken}: the policy's eniroute.io/retry value, so an agent tries again a spec it once rolled back. */
  static NodeNetworkConfigSpec present(NodeNetworkPolicy policy, List<InterfaceAddresses> addresses, String retryToken) {
    NodeNetworkConfigSpec spec = new NodeNetworkConfigSpec();
    spec.setPolicy(policy.getMetadata().getName());
    spec.setPolicyGeneration(policy.getMetadata().getGeneration());
    spec.setState(ConfigState.PRESENT);
    spec.setInterfaces(policy.getSpec().getInterfaces());
    spec.setRouting(policy.getSpec().getRouting());
    spec.setSafety(policy.getSpec().getSafety());
    spec.setAddresses(new ArrayList<>(addresses));
    // With spec.aws the addresses are eniroute's from EC2: the agent leaves every other interface (the VPC CNI's) alone.
    if (policy.getSpec().getAws() != null) {
      spec.setOnlyListedInterfaces(true);
    }
    spec.setRetryToken(retryToken);
    return spec;
  }
}
