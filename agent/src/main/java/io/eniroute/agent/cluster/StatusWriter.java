package io.eniroute.agent.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a NodeNetworkConfig's status as a patch of the status subresource (the agent may not
 * write anything else), and only when something besides timings changed: the
 * same status with another lastApply.time, durationMillis, probe millis or lastTransitionTime is
 * not written, so a resync every minute on 5,000 nodes costs the API server nothing.
 *
 * <p>Writes run on their own thread, newest status wins: a slow or unreachable API server never
 * holds up the reconcile loop (routing heals without the control plane). A failed write is
 * retried with the next status.
 */
public final class StatusWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Pending(String name, NodeNetworkConfigStatus status, NodeNetworkConfigStatus serverStatus) {}

  private final KubernetesClient client;
  private final AtomicReference<Pending> pending = new AtomicReference<>();
  private final AtomicLong writes = new AtomicLong();
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "status-writer");
    t.setDaemon(true);
    return t;
  });
  /** What we last wrote successfully, per the name it was written to. */
  private volatile String writtenName;
  private volatile JsonNode written;
  /** What we last queued: the base for the next status even before it is written. */
  private volatile String submittedName;
  private volatile NodeNetworkConfigStatus submitted;

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Queues a status for {@code name}. {@code serverStatus} is the status the informer last saw,
   * the comparison base until this writer has written one itself.
   */
  public void submit(String name, NodeNetworkConfigStatus status, NodeNetworkConfigStatus serverStatus) {
    submittedName = name;
    submitted = status;
    if (pending.getAndSet(new Pending(name, status, serverStatus)) == null) {
      thread.execute(this::drain);
    }
  }

  /** Status patches sent so far. */
  public long writes() {
    return writes.get();
  }

  /** The status the next pass should build on: what we last queued, else the server's. */
  public NodeNetworkConfigStatus base(String name, NodeNetworkConfigStatus serverStatus) {
    NodeNetworkConfigStatus s = submitted;
    return s != null && name.equals(submittedName) ? s : serverStatus;
  }

  private void drain() {
    Pending p = pending.getAndSet(null);
    if (p == null) {
      return;
    }
    JsonNode next = JSON.valueToTree(p.status());
    JsonNode before = written != null && p.name().equals(writtenName) ? written
        : p.serverStatus() == null ? null : JSON.valueToTree(p.serverStatus());
    if (before != null && significant(before).equals(significant(next))) {
      return;
    }
    try {
      // One JSON Patch "add" of the whole status: replaces it, lists included (a merge patch's
      // list semantics differ between servers and mocks; this one has none).
      ObjectNode op = JSON.createObjectNode().put("op", "add").put("path", "/status");
      op.set("value", next);
      // Through resource(item), not withName(): fabric8 GETs a named-only object before every patch.
      client.resources(NodeNetworkConfig.class).resource(named(p.name())).subresource("status")
          .patch(PatchContext.of(PatchType.JSON), JSON.writeValueAsString(JSON.createArrayNode().add(op)));
      writes.incrementAndGet();
      writtenName = p.name();
      written = next;
      log.info("status of {}: {} (generation {})", p.name(), p.status().getResult(), p.status().getObservedGeneration());
    } catch (KubernetesClientException | com.fasterxml.jackson.core.JsonProcessingException e) {
      log.warn("could not write the status of NodeNetworkConfig {}: {}; will retry with the next report", p.name(),
          e.getMessage());
    }
  }

  private static NodeNetworkConfig named(String name) {
    NodeNetworkConfig c = new NodeNetworkConfig();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    return c;
  }

  /** The status without the fields that change on every pass (timings). */
  static JsonNode significant(JsonNode status) {
    ObjectNode s = status.deepCopy();
    if (s.get("lastApply") instanceof ObjectNode a) {
      a.remove("time");
      a.remove("durationMillis");
    }
    if (s.get("conditions") != null) {
      s.get("conditions").forEach(c -> ((ObjectNode) c).remove("lastTransitionTime"));
    }
    if (s.get("probes") != null) {
      s.get("probes").forEach(c -> ((ObjectNode) c).remove("millis"));
    }
    return s;
  }

  /** Waits for queued writes (tests, shutdown). */
  public void flush() {
    try {
      thread.submit(() -> { }).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    flush();
    thread.shutdownNow();
  }
}
