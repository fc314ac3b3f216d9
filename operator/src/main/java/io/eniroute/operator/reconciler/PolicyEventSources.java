package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What wakes a policy besides its own changes: Nodes (label changes, additions, deletions) and
 * NodeNetworkConfigs (the operator's and hand-made ones). A node or config change can move nodes between
 * policies, so each wakes every policy.
 */
final class PolicyEventSources {
  private PolicyEventSources() {}

  static InformerEventSource<Node, NodeNetworkPolicy> nodes(EventSourceContext<NodeNetworkPolicy> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, NodeNetworkPolicy.class)
        .withName("nodes")
        .withSecondaryToPrimaryMapper(n -> allPolicies(context))
        // Nodes update their status every few seconds; only label changes (and deletions) matter here.
        .withOnUpdateFilter((now, before) -> !Objects.equals(now.getMetadata().getLabels(), before.getMetadata().getLabels()))
        .build(), context);
  }

  static InformerEventSource<NodeNetworkConfig, NodeNetworkPolicy> configs(EventSourceContext<NodeNetworkPolicy> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(NodeNetworkConfig.class, NodeNetworkPolicy.class)
        .withName("nodenetworkconfigs")
        // Every config, not just the labelled ones: a config made by hand for a selected node
        // must be seen (and skipped) before the operator tries to create one of the same name.
        .withSecondaryToPrimaryMapper(c -> allPolicies(context))
        .build(), context);
  }

  private static Set<ResourceID> allPolicies(EventSourceContext<NodeNetworkPolicy> context) {
    return context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
  }
}
