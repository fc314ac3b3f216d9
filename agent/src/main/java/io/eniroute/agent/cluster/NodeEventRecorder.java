package io.eniroute.agent.cluster;

import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the agent's {@link NodeEvent}s as core/v1 Events about the node's NodeNetworkConfig, so
 * {@code kubectl describe nnc NODE} and {@code kubectl get events} show them. The same type,
 * reason and message within {@code window} is one Event whose count and lastTimestamp are
 * patched (a rollback repeated on every resync does not flood the namespace). The loop thread
 * only decides; the API calls run on this recorder's own thread. A create the server did not
 * answer (5xx, no answer) is sent again under the same name, a few times: a 409 then means an
 * earlier attempt got through, so an Event is neither lost to one failed call nor doubled.
 * One that still fails is logged and forgotten, so its next occurrence creates it afresh.
 */
final class NodeEventRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeEventRecorder.class);
  static final String COMPONENT = "eniroute-agent";

  private record Sent(String name, int count, Instant first, Instant last) {}

  /** Attempts of one create, and the pause before the first retry (doubled after each). */
  static final int CREATE_ATTEMPTS = 4;
  static final Duration CREATE_RETRY = Duration.ofMillis(250);

  private final KubernetesClient client;
  private final String namespace;
  private final String node;
  private final Supplier<ObjectReference> subject;
  private final Clock clock;
  private final Duration window;
  private final Map<String, Sent> sent = new HashMap<>();
  private final ExecutorService writer;
  private long seq;

  /**
   * @param namespace where the Events go (the agent's own; kubectl finds Events of a cluster-scoped
   *     object in any namespace)
   * @param subject the node's NodeNetworkConfig as last seen (name and uid), null when none
   */
  NodeEventRecorder(KubernetesClient client, String namespace, String node, Supplier<ObjectReference> subject, Clock clock,
      Duration window) {
    this.client = client;
    this.namespace = namespace;
    this.node = node;
    this.subject = subject;
    this.clock = clock;
    this.window = window;
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "node-events");
      t.setDaemon(true);
      return t;
    });
  }

  /** Records {@code e}: a new Event, or one more of a recent identical one. */
  synchronized void record(NodeEvent e) {
    ObjectReference about = subject.get();
    if (about == null) {
      return; // no config on the server: nothing to attach the event to
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    sent.values().removeIf(s -> s.last().plus(window).isBefore(now));
    Sent previous = sent.get(e.key());
    if (previous != null) {
      Sent again = new Sent(previous.name(), previous.count() + 1, previous.first(), now);
      sent.put(e.key(), again);
      writer.execute(() -> patchCount(again));
      return;
    }
    Sent fresh = new Sent(node + "." + Long.toHexString(now.toEpochMilli()) + Long.toHexString(seq++), 1, now, now);
    sent.put(e.key(), fresh);
    Event event = new EventBuilder()
        .withNewMetadata().withName(fresh.name()).withNamespace(namespace).endMetadata()
        .withInvolvedObject(about)
        .withType(e.type()).withReason(e.reason()).withMessage(e.message())
        .withCount(1).withFirstTimestamp(now.toString()).withLastTimestamp(now.toString())
        .withNewSource().withComponent(COMPONENT).withHost(node).endSource()
        .withReportingComponent(COMPONENT).withReportingInstance(node)
        .build();
    writer.execute(() -> create(event, e.key(), fresh));
  }

  private void create(Event event, String key, Sent fresh) {
    Duration pause = CREATE_RETRY;
    for (int attempt = 1; ; attempt++) {
      try {
        client.v1().events().inNamespace(namespace).resource(event).create();
        return;
      } catch (KubernetesClientException ex) {
        if (ex.getCode() == 409) {
          return; // the name is ours alone: an earlier attempt reached the server
        }
        boolean unanswered = ex.getCode() == 0 || ex.getCode() >= 500 || ex.getCode() == 429;
        if (!unanswered || attempt == CREATE_ATTEMPTS) {
          log.warn("could not record event {} {}: {}", event.getReason(), event.getMessage(), ex.getMessage());
          synchronized (this) {
            sent.remove(key, fresh); // the next occurrence is a new Event, not a count on a missing one
          }
          return;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(pause.toNanos());
        pause = pause.multipliedBy(2);
      }
    }
  }

  private void patchCount(Sent s) {
    try {
      client.v1().events().inNamespace(namespace).withName(s.name())
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"count\":" + s.count() + ",\"lastTimestamp\":\"" + s.last() + "\"}");
    } catch (KubernetesClientException ex) {
      log.warn("could not update event {}: {}", s.name(), ex.getMessage());
    }
  }

  /** Waits for the writes queued so far (tests, shutdown). */
  void flush() {
    try {
      writer.submit(() -> { }).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("events not flushed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      writer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** The reference Events carry to the node's NodeNetworkConfig. */
  static ObjectReference reference(NodeNetworkConfig c) {
    return new ObjectReferenceBuilder()
        .withApiVersion(c.getApiVersion()).withKind(c.getKind())
        .withName(c.getMetadata().getName()).withUid(c.getMetadata().getUid())
        .withResourceVersion(c.getMetadata().getResourceVersion())
        .build();
  }
}
