package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.stream.Stream;

/** {@link ClusterCache} on JOSDK's caches: the primary cache and the node and config informers. */
final class InformerClusterCache implements ClusterCache {
  private final IndexedResourceCache<NodeNetworkPolicy> policies;
  private final InformerEventSource<Node, NodeNetworkPolicy> nodes;
  private final InformerEventSource<NodeNetworkConfig, NodeNetworkPolicy> configs;

  InformerClusterCache(IndexedResourceCache<NodeNetworkPolicy> policies, InformerEventSource<Node, NodeNetworkPolicy> nodes,
      InformerEventSource<NodeNetworkConfig, NodeNetworkPolicy> configs) {
    this.policies = policies;
    this.nodes = nodes;
    this.configs = configs;
  }

  @Override
  public Stream<NodeNetworkPolicy> policies() {
    return policies.list();
  }

  @Override
  public Stream<Node> nodes() {
    return nodes.list();
  }

  @Override
  public Stream<NodeNetworkConfig> configs() {
    return configs.list();
  }

  @Override
  public void created(NodeNetworkConfig config) {
    configs.handleRecentResourceCreate(ResourceID.fromResource(config), config);
  }

  @Override
  public void updated(NodeNetworkConfig config, NodeNetworkConfig before) {
    configs.handleRecentResourceUpdate(ResourceID.fromResource(config), config, before);
  }
}
