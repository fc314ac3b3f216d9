package io.eniroute.operator.aws;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.fabric8.kubernetes.api.model.Node;

/**
 * Makes a node's EC2 instance carry the interfaces and addresses a policy's {@code aws} section
 * asks for. The rollout reconciler calls it before handing a node its NodeNetworkConfig, and puts
 * the result in the config's {@code spec.addresses}.
 *
 * <p>Implementations reconcile against what EC2 reports (DescribeNetworkInterfaces), never
 * against memory of earlier calls, so they are idempotent and restart-safe.
 */
public interface AddressAllocator {

  /** Ensures the instance behind {@code node} matches {@code settings}; never throws for EC2 errors. */
  Allocation ensure(Node node, AwsSettings settings);

  /** Releases what eniroute added to the node's instance (tagged resources only), in reverse order. */
  Allocation release(Node node, AwsSettings settings);
}
