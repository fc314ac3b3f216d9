package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;

/** Records Kubernetes Events about a policy (an interface so tests and benchmarks can capture them). */
public interface EventRecorder {
  void normal(NodeNetworkPolicy policy, String reason, String message);

  void warning(NodeNetworkPolicy policy, String reason, String message);
}
