package io.eniroute.agent.engine;

import io.eniroute.lab.VpcCniActor;
import io.eniroute.lab.VpcCniActor.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Connections from outside to every pod, over and over, while something else runs (an apply, a
 * rollback): counts the answers that came from the right pod and lists the ones that did not.
 */
final class PodTraffic implements AutoCloseable {
  /** What the traffic saw: connections tried, answered by the right pod, and each miss. */
  record Seen(int tried, int answered, List<String> misses) {}

  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "pod-traffic"));
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Future<Seen> result;

  PodTraffic(VpcCniActor cni, List<Pod> pods) {
    result = executor.submit(() -> {
      int tried = 0;
      int answered = 0;
      List<String> misses = new ArrayList<>();
      do {
        for (Pod p : pods) {
          String reply = cni.askFromClient(p.ip());
          tried++;
          if (p.name().equals(reply)) {
            answered++;
          } else {
            misses.add(p.name() + " at " + p.ip() + " answered " + reply);
          }
        }
      } while (running.get());
      return new Seen(tried, answered, misses);
    });
  }

  /** Stops after the current round and returns what was seen. */
  Seen stop() throws Exception {
    running.set(false);
    return result.get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    running.set(false);
    executor.shutdownNow();
  }
}
