package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/** An event source that wakes a policy when EC2 work for it finished ({@link Ec2Work}). */
final class Ec2Completions extends AbstractEventSource<Void, NodeNetworkPolicy> {
  Ec2Completions() {
    super(Void.class, "ec2-completions");
  }

  void wake(String policy) {
    if (isRunning()) {
      getEventHandler().handleEvent(new Event(new ResourceID(policy)));
    }
  }

  @Override
  public Set<Void> getSecondaryResources(NodeNetworkPolicy primary) {
    return Set.of();
  }
}
