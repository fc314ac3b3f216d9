package io.eniroute.agent.engine;

import io.eniroute.agent.kernel.KernelState;
import io.eniroute.agent.kernel.Route;
import io.eniroute.agent.kernel.Rule;
import java.util.Optional;

/**
 * Whether the node already routes an address somewhere else, so that adding it to a host
 * interface would steal its traffic: the kernel answers an address on a host interface itself (a
 * local route wins over any /32). The AWS VPC CNI routes each pod IP as a {@code /32} route to the
 * pod's veth in main and a {@code to <pod> lookup main} rule at priority 512
 * (aws/amazon-vpc-cni-k8s cmd/routed-eni-cni-plugin/driver/driver.go, SetupPodNetwork, and
 * pkg/networkutils/network.go); any other owner that routes a single address does the same.
 */
final class AddressClaims {

  /** Why {@code ip} must not be added to {@code dev}, or empty when nothing else routes it. */
  Optional<String> claimedElsewhere(String ip, String dev, KernelState k) {
    String host = ip + "/32";
    for (Route r : k.routes()) {
      if (r.protocol() != Planner.PROTO && r.table() == Route.MAIN && r.dst().equals(host) && r.dev() != null
          && !r.dev().equals(dev)) {
        return Optional.of("the node routes " + host + " to " + r.dev() + " (main table, protocol " + r.protocol()
            + "), e.g. a pod's veth: adding it to " + dev + " would take its traffic");
      }
    }
    for (Rule r : k.rules()) {
      if (r.protocol() != Planner.PROTO && host.equals(r.to())) {
        return Optional.of("another owner's " + r.describe() + " routes traffic to it, e.g. the VPC CNI's rule "
            + "for a pod: adding it to " + dev + " would take its traffic");
      }
    }
    return Optional.empty();
  }
}
