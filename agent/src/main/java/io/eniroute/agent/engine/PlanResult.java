package io.eniroute.agent.engine;

import io.eniroute.crds.v1alpha1.InterfaceStatus;
import java.util.List;

/**
 * What {@link RoutingEngine#plan} found: the ops a reconcile would run (in order), or why it
 * would fail ({@code reason} InvalidConfig / ForeignConflict, with a message naming the problem).
 */
public record PlanResult(List<Op> ops, List<InterfaceStatus> interfaces, String reason, String message) {
  public PlanResult {
    ops = List.copyOf(ops);
    interfaces = List.copyOf(interfaces);
  }

  public boolean ok() {
    return reason == null;
  }
}
