package io.eniroute.operator.testing;

import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.operator.reconciler.EventRecorder;
import java.util.ArrayList;
import java.util.List;

/** The Events a reconciler recorded, in order, for a test to read after each step. */
public final class RecordedEvents implements EventRecorder {
  public record Recorded(String policy, String type, String reason, String message) {}

  private final List<Recorded> events = new ArrayList<>();

  @Override
  public synchronized void normal(NodeNetworkPolicy policy, String reason, String message) {
    events.add(new Recorded(policy.getMetadata().getName(), "Normal", reason, message));
  }

  @Override
  public synchronized void warning(NodeNetworkPolicy policy, String reason, String message) {
    events.add(new Recorded(policy.getMetadata().getName(), "Warning", reason, message));
  }

  /** The reasons recorded since the last call, and forgets them. */
  public synchronized List<String> takeReasons() {
    List<String> out = events.stream().map(Recorded::reason).toList();
    events.clear();
    return out;
  }

  public synchronized List<Recorded> all() {
    return List.copyOf(events);
  }
}
