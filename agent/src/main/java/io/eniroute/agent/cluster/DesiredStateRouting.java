package io.eniroute.agent.cluster;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.NodeRouting;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;

/**
 * Routes a {@code state: absent} spec to {@link NodeRouting#revert()} instead of a change: a
 * revert is what the operator asked for, so it must not go through the change's commit-confirm
 * (the probes of the addresses being removed would fail and "roll back" the revert). Repeated
 * passes (resync, drift) revert again, which writes nothing when nothing is owned.
 */
public final class DesiredStateRouting implements NodeRouting {
  private final NodeRouting delegate;

  public DesiredStateRouting(NodeRouting delegate) {
    this.delegate = delegate;
  }

  @Override
  public ApplyReport reconcile(NodeNetworkConfigSpec spec) {
    return spec.getState() == ConfigState.ABSENT ? delegate.revert() : delegate.reconcile(spec);
  }

  @Override
  public ApplyReport revert() {
    return delegate.revert();
  }

  @Override
  public ApplyReport status() {
    return delegate.status();
  }
}
