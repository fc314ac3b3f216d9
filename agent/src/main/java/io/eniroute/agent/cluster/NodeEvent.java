package io.eniroute.agent.cluster;

import io.eniroute.agent.routing.ApplyReport;
import java.util.Optional;

/**
 * One Kubernetes Event the agent says about its own node, decided from a pass's report: Applied
 * (a new generation reached the kernel), RolledBack (with the probe that failed), Conflict
 * (another tool holds eniroute's table or priority), Failed, Reverted. Passes that change nothing
 * say nothing; repeats are folded into one Event by {@link NodeEventRecorder}.
 */
record NodeEvent(String type, String reason, String message) {
  static final String NORMAL = "Normal";
  static final String WARNING = "Warning";

  /** The event for report {@code r} of a pass toward {@code t}; {@code newDesire}: another spec than the pass before. */
  static Optional<NodeEvent> of(ApplyReport r, Target t, boolean newDesire) {
    String generation = t == null || t.policyGeneration() == null ? "the config" : "policy generation " + t.policyGeneration();
    return switch (r.outcome()) {
      case APPLIED -> newDesire && r.kernelWrites() > 0
          ? Optional.of(new NodeEvent(NORMAL, "Applied", generation + " applied and verified by its probes ("
              + r.kernelWrites() + " kernel write(s); eniroute owns " + r.ownedRules() + " rule(s), " + r.ownedRoutes() + " route(s))"))
          : Optional.empty();
      case ROLLED_BACK -> Optional.of(new NodeEvent(WARNING, "RolledBack",
          generation + " was rolled back, the node keeps its previous routing: " + r.message()));
      case REVERTED -> r.kernelWrites() > 0
          ? Optional.of(new NodeEvent(NORMAL, "Reverted", "eniroute's routing was removed from the node"))
          : Optional.empty();
      case FAILED -> Optional.of("ForeignConflict".equals(r.reason())
          ? new NodeEvent(WARNING, "Conflict", generation + " is not applied: " + r.message())
          : new NodeEvent(WARNING, "Failed", generation + " is not applied (" + r.reason() + "): " + r.message()));
      case NO_CHANGE, OBSERVED -> Optional.empty();
    };
  }

  /** Two events with this key within the window are one Event with a count. */
  String key() {
    return type + "/" + reason + "/" + message;
  }
}
