package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicyStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/** How a policy's status reaches the API server. */
public interface StatusPatcher {
  void patch(NodeNetworkPolicy policy, Context<NodeNetworkPolicy> context, NodeNetworkPolicyStatus status);

  /**
   * Patch and cache (JOSDK), so a reconcile right behind this one sees the new status, and its
   * phase: that is what keeps a transition's Event from being recorded twice.
   */
  static StatusPatcher cached() {
    return (policy, context, status) -> PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(policy, context, p -> {
      p.setStatus(status);
      return p;
    });
  }
}
