package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of a policy wake its reconcile: a spec change (generation), a new
 * eniroute.io/retry value (an annotation, which leaves the generation alone, so JOSDK's
 * generation-aware filter would drop it), the deletion mark and finalizer changes. Status writes
 * (the operator's own) and other metadata edits do not.
 */
public final class PolicyChangeFilter implements OnUpdateFilter<NodeNetworkPolicy> {
  @Override
  public boolean accept(NodeNetworkPolicy now, NodeNetworkPolicy before) {
    return !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(PolicyValidator.retryToken(now), PolicyValidator.retryToken(before))
        || !Objects.equals(now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp())
        || !Objects.equals(now.getMetadata().getFinalizers(), before.getMetadata().getFinalizers());
  }
}
