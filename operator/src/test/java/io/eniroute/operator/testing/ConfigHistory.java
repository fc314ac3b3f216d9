package io.eniroute.operator.testing;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.operator.rollout.AgentReport;
import io.eniroute.operator.rollout.NodeProgress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Records every NodeNetworkConfig change seen through a watch, in order, for assertions on the rollout's shape. */
public final class ConfigHistory implements AutoCloseable {
  /** One observed version of one node's config. */
  public record Entry(String node, Watcher.Action action, String policy, Long generation, String state, String handedAt,
      boolean applied, boolean failed, String result) {}

  private final List<Entry> entries = new ArrayList<>();
  private final Watch watch;

  public ConfigHistory(KubernetesClient client) {
    watch = client.resources(NodeNetworkConfig.class).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, NodeNetworkConfig c) {
        var annotations = c.getMetadata().getAnnotations();
        Entry e = new Entry(c.getMetadata().getName(), action, c.getSpec().getPolicy(), c.getSpec().getPolicyGeneration(),
            c.getSpec().getState().value(), annotations == null ? null : annotations.get(NodeProgress.HANDED_AT),
            AgentReport.applied(c), AgentReport.failure(c).isPresent(), c.getStatus() == null || c.getStatus().getResult() == null ? null : c.getStatus().getResult().value());
        synchronized (entries) {
          entries.add(e);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }

  public List<Entry> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  /** The most nodes that, at any point of the history, carried {@code generation} without having applied it. */
  public int maxInFlight(long generation) {
    Map<String, Entry> latest = new HashMap<>();
    int max = 0;
    for (Entry e : entries()) {
      if (e.action() == Watcher.Action.DELETED) {
        latest.remove(e.node());
      } else {
        latest.put(e.node(), e);
      }
      int inFlight = (int) latest.values().stream()
          .filter(x -> Objects.equals(x.generation(), generation) && "present".equals(x.state()) && !x.applied())
          .count();
      max = Math.max(max, inFlight);
    }
    return max;
  }

  /** Node names in the order they were first handed {@code generation}. */
  public List<String> handOutOrder(long generation) {
    List<String> order = new ArrayList<>();
    for (Entry e : entries()) {
      if (Objects.equals(e.generation(), generation) && "present".equals(e.state()) && !order.contains(e.node())) {
        order.add(e.node());
      }
    }
    return order;
  }

  /** How many distinct hand-outs (hand-out stamps) of {@code generation} each node got. */
  public Map<String, Long> handOutsPerNode(long generation) {
    Map<String, java.util.Set<String>> stamps = new HashMap<>();
    for (Entry e : entries()) {
      if (Objects.equals(e.generation(), generation) && "present".equals(e.state())) {
        stamps.computeIfAbsent(e.node(), k -> new java.util.HashSet<>()).add(e.handedAt());
      }
    }
    Map<String, Long> out = new HashMap<>();
    stamps.forEach((k, v) -> out.put(k, (long) v.size()));
    return out;
  }

  @Override
  public void close() {
    watch.close();
  }
}
