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

  /**
   * Ensures the instance behind {@code node} matches {@code settings}; never throws for EC2 errors.
   * Surplus (counts lowered) is not released here: it is left out of the result and marked
   * retiring at {@code generation}, the policy generation the result is handed out with.
   */
  Allocation ensure(Node node, AwsSettings settings, long generation);

  /**
   * Releases the surplus marked retiring at a generation up to {@code upToGeneration}: call it once
   * the node's agent applied that generation (it no longer routes the surplus), or when the node
   * cannot be using it. Surplus retired at a later generation stays.
   */
  Allocation releaseRetired(Node node, AwsSettings settings, long upToGeneration);

  /** Releases what eniroute added to the node's instance (tagged resources only), in reverse order. */
  Allocation release(Node node, AwsSettings settings);
}
