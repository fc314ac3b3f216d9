package io.eniroute.agent.cluster;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this node's NodeNetworkConfig, and only it: an informer with the field selector
 * metadata.name=NODE, so the API server sends each agent one object, not every node's. Keeps
 * the latest version (the informer keeps it across API server outages) and calls back when the
 * desired state changes: created, new generation, deletion started, deleted. Status-only updates
 * (our own writes) do not call back.
 */
public final class ConfigWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigWatch.class);

  /** The latest version seen; {@code deleted} once the object is gone from the server. */
  public record Snapshot(NodeNetworkConfig config, boolean deleted) {}

  private final KubernetesClient client;
  private final String node;
  private final Consumer<String> onChange;
  private final AtomicReference<Snapshot> latest = new AtomicReference<>();
  private SharedIndexInformer<NodeNetworkConfig> informer;

  /** @param onChange called (on the informer's thread) with what changed */
  public ConfigWatch(KubernetesClient client, String node, Consumer<String> onChange) {
    this.client = client;
    this.node = node;
    this.onChange = onChange;
  }

  /** Starts watching; the stage completes once the first list is in (it retries until then). */
  public synchronized CompletionStage<Void> start() {
    informer = client.resources(NodeNetworkConfig.class).withField("metadata.name", node).runnableInformer(0);
    informer.addEventHandler(new Handler());
    // Keep retrying whatever happens: a control plane outage must never stop the agent.
    informer.exceptionHandler((started, t) -> {
      log.warn("watching NodeNetworkConfig {}: {}; retrying", node, t.toString());
      return true;
    });
    return informer.start();
  }

  /** The latest version seen, or null when none was (not synced yet, or no config for this node). */
  public Snapshot latest() {
    return latest.get();
  }

  public boolean synced() {
    SharedIndexInformer<NodeNetworkConfig> i = informer;
    return i != null && i.hasSynced();
  }

  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.close();
    }
  }

  private final class Handler implements ResourceEventHandler<NodeNetworkConfig> {
    @Override
    public void onAdd(NodeNetworkConfig c) {
      if (mine(c)) {
        latest.set(new Snapshot(c, false));
        log.info("NodeNetworkConfig {} generation {} found", node, c.getMetadata().getGeneration());
        onChange.accept("config created");
      }
    }

    @Override
    public void onUpdate(NodeNetworkConfig old, NodeNetworkConfig c) {
      if (!mine(c)) {
        return;
      }
      latest.set(new Snapshot(c, false));
      boolean newGeneration = !Objects.equals(old.getMetadata().getGeneration(), c.getMetadata().getGeneration());
      boolean deleting = old.getMetadata().getDeletionTimestamp() == null && c.getMetadata().getDeletionTimestamp() != null;
      if (newGeneration || deleting) {
        log.info("NodeNetworkConfig {} {}", node, deleting ? "is being deleted" : "changed to generation " + c.getMetadata().getGeneration());
        onChange.accept(deleting ? "config deletion" : "config changed");
      }
    }

    @Override
    public void onDelete(NodeNetworkConfig c, boolean finalStateUnknown) {
      if (mine(c)) {
        latest.set(new Snapshot(c, true));
        log.info("NodeNetworkConfig {} was deleted", node);
        onChange.accept("config deleted");
      }
    }

    private boolean mine(NodeNetworkConfig c) {
      return c != null && node.equals(c.getMetadata().getName());
    }
  }
}
