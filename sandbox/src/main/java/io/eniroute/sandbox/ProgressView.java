package io.eniroute.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the API every 200 ms while a step waits, keeps the history (to check maxUnavailable
 * against what really happened) and shows a status line: redrawn in place on a
 * terminal, a new line otherwise; a line is only shown when it changed (the timestamp in it
 * tells how long each state lasted).
 */
public final class ProgressView implements AutoCloseable {
  private final KubernetesClient client;
  private final String policy;
  private final Narrator narrator;
  private final List<ClusterSnapshot> history = new ArrayList<>();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "progress-view");
    t.setDaemon(true);
    return t;
  });
  private String lastShown = "";
  private volatile RuntimeException lastError;

  public ProgressView(KubernetesClient client, String policy, Narrator narrator) {
    this.client = client;
    this.policy = policy;
    this.narrator = narrator;
  }

  public ProgressView start() {
    loop.scheduleWithFixedDelay(this::sample, 0, 200, TimeUnit.MILLISECONDS);
    return this;
  }

  private void sample() {
    try {
      ClusterSnapshot s = ClusterSnapshot.take(client, policy);
      String line = s.line();
      synchronized (this) {
        history.add(s);
        if (!line.equals(lastShown)) {
          narrator.progress(line);
          lastShown = line;
        }
      }
      lastError = null;
    } catch (RuntimeException e) {
      lastError = e; // the API may be briefly unreachable; the next sample retries
    }
  }

  public synchronized List<ClusterSnapshot> history() {
    return List.copyOf(history);
  }

  /** Most nodes updating at once (handed a generation, not applied, not failed) in the history. */
  public synchronized long maxUpdatingAtOnce() {
    return history.stream().mapToLong(ClusterSnapshot::updatingCount).max().orElse(0);
  }

  /**
   * The waves of generation {@code gen} as they happened: nodes grouped by the sample in which
   * the operator handed them the generation, e.g. "node-1 @1.2s" then "node-2, node-3 @4.8s".
   */
  public synchronized List<String> waves(long gen) {
    if (history.isEmpty()) {
      return List.of();
    }
    long t0 = history.get(0).nanos();
    java.util.Map<Long, List<String>> byTime = new java.util.TreeMap<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (ClusterSnapshot s : history) {
      for (ClusterSnapshot.NodeView v : s.nodes()) {
        if (v.wanted() != null && v.wanted() == gen && seen.add(v.node())) {
          byTime.computeIfAbsent(s.nanos(), k -> new ArrayList<>()).add(v.node());
        }
      }
    }
    List<String> out = new ArrayList<>();
    byTime.forEach((t, nodes) -> out.add(String.join(", ", nodes) + String.format(" @%.1fs", (t - t0) / 1e9)));
    return out;
  }

  public RuntimeException lastError() {
    return lastError;
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    narrator.endProgress();
  }
}
