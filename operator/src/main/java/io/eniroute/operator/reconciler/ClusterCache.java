package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.fabric8.kubernetes.api.model.Node;
import java.util.stream.Stream;

/**
 * What the reconciler reads of the cluster, and where it tells its own config writes so the next
 * read sees them. In the operator: JOSDK's informer caches ({@link InformerClusterCache}); in the
 * synchronous test harness: the API server itself, read afresh on every call.
 */
public interface ClusterCache {
  Stream<NodeNetworkPolicy> policies();

  Stream<Node> nodes();

  /** The NodeNetworkConfigs that carry a policy label. */
  Stream<NodeNetworkConfig> configs();

  /** A config this operator just created. */
  void created(NodeNetworkConfig config);

  /** A config this operator just patched ({@code before}: as the cache had it). */
  void updated(NodeNetworkConfig config, NodeNetworkConfig before);
}
