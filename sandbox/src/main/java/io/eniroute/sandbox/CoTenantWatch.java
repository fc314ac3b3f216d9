package io.eniroute.sandbox;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.lab.VpcCniActor;
import io.eniroute.lab.VpcCniActor.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches the VPC CNI co-tenant for the whole scenario: round after round, every pod must answer
 * a TCP connection from the outside client with its own name, and no NodeNetworkConfig may list a
 * pod address. Stopped by the last step, which reports what it saw.
 */
public final class CoTenantWatch implements AutoCloseable {
  /** What the watch saw: rounds, connections, answers by the right pod, and every miss or leak. */
  public record Seen(int rounds, int connections, int answered, List<String> misses, List<String> leaks) {}

  private final String node;
  private final VpcCniActor cni;
  private final List<String> routingBefore;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "co-tenant-watch");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Future<Seen> result;

  CoTenantWatch(String node, VpcCniActor cni, KubernetesClient client) {
    this.node = node;
    this.cni = cni;
    this.routingBefore = cni.hostRouting();
    this.result = executor.submit(() -> watch(client));
  }

  public String node() { return node; }
  public VpcCniActor cni() { return cni; }
  public List<String> routingBefore() { return routingBefore; }

  public List<String> podIps() {
    return cni.pods().stream().map(Pod::ip).toList();
  }

  private Seen watch(KubernetesClient client) {
    int rounds = 0;
    int connections = 0;
    int answered = 0;
    List<String> misses = new ArrayList<>();
    List<String> leaks = new ArrayList<>();
    do {
      rounds++;
      for (Pod p : cni.pods()) {
        connections++;
        String reply = cni.askFromClient(p.ip());
        if (p.name().equals(reply)) {
          answered++;
        } else if (misses.size() < 20) {
          misses.add("round " + rounds + ": pod " + p.name() + " at " + p.ip() + " answered " + reply);
        }
      }
      for (NodeNetworkConfig c : client.resources(NodeNetworkConfig.class).list().getItems()) {
        String spec = String.valueOf(c.getSpec() == null ? null : c.getSpec().getAddresses().stream()
            .flatMap(a -> a.getAddresses().stream()).toList());
        for (String ip : podIps()) {
          if ((spec.contains(ip + "/") || spec.contains(ip + ",") || spec.contains(ip + "]")) && leaks.size() < 20) {
            leaks.add("NodeNetworkConfig " + c.getMetadata().getName() + " lists pod address " + ip);
          }
        }
      }
    } while (running.get());
    return new Seen(rounds, connections, answered, misses, leaks);
  }

  /** Stops after the current round and returns what was seen. */
  public Seen stop() throws Exception {
    running.set(false);
    return result.get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    running.set(false);
    executor.shutdownNow();
    cni.close();
  }
}
