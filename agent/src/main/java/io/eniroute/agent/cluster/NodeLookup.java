package io.eniroute.agent.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this node's Node object once, at start, for its EC2 identity ({@link NodeIdentity}): a
 * single GET (no watch: the agent stays small, and an instance id never changes under a running
 * node), on its own thread so an unreachable API server holds nothing up. Forbidden, missing or
 * not on EC2: one log line, and the identity is IMDS's alone. A GET the server did not answer
 * (5xx, 429, no connection) is asked again, 1 s doubling to 30 s apart, until it is answered: a
 * passing outage at start must not leave the node without its identity until a restart.
 */
public final class NodeLookup {
  private static final Logger log = LoggerFactory.getLogger(NodeLookup.class);
  /**
   * Read as JSON, not as the typed Node: the typed model makes Jackson load and build
   * deserializers for the whole Node graph (status, images, conditions ...) for two fields, about
   * 2 MiB of resident memory in an agent that runs on every node.
   */
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final String node;
  private final Duration firstWait;
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  /** The server gave no answer: worth asking again. */
  private static final class Unanswered extends Exception {
    Unanswered(String message) {
      super(message, null, false, false);
    }
  }

  private final CompletableFuture<Optional<NodeIdentity>> identity = new CompletableFuture<>();
  private volatile boolean waited;
  private volatile Thread reader;

  /** @param firstWait how long the first {@link #identity()} waits for the answer (later calls never wait) */
  public NodeLookup(KubernetesClient client, String node, Duration firstWait) {
    this.client = client;
    this.node = node;
    this.firstWait = firstWait;
  }

  /** Starts the GET on a thread of its own and returns. */
  public NodeLookup start() {
    Thread t = new Thread(this::readUntilAnswered, "node-lookup");
    t.setDaemon(true);
    reader = t;
    t.start();
    return this;
  }

  /** Stops asking (the agent stops). */
  public void close() {
    Thread t = reader;
    if (t != null) {
      t.interrupt();
    }
  }

  /**
   * The Node's identity: empty when the lookup found none, or has not finished (the first call
   * waits up to firstWait for it: the API server answered the config's list, so the Node's GET
   * is normally in too).
   */
  public Optional<NodeIdentity> identity() {
    if (waited) {
      return identity.getNow(Optional.empty());
    }
    waited = true;
    try {
      return identity.get(firstWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The Node's instance id, as {@link #identity()} (the IMDS cross-check). */
  public Optional<String> instanceId() {
    return identity().map(NodeIdentity::instanceId);
  }

  private void readUntilAnswered() {
    Duration pause = FIRST_RETRY;
    while (!Thread.currentThread().isInterrupted()) {
      try {
        identity.complete(read());
        return;
      } catch (Unanswered e) {
        log.warn("cannot read Node {}: {}; asking again in {} s (instance id and region from IMDS only until then)", node,
            e.getMessage(), pause.toSeconds());
        java.util.concurrent.locks.LockSupport.parkNanos(pause.toNanos());
        pause = pause.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : pause.multipliedBy(2);
      }
    }
  }

  private Optional<NodeIdentity> read() throws Unanswered {
    try {
      String json = client.raw("/api/v1/nodes/" + node); // null: 404
      if (json == null) {
        log.warn("no Node named {}: instance id and region from IMDS only", node);
        return Optional.empty();
      }
      JsonNode n = JSON.readTree(json);
      NodeIdentity id = NodeIdentity.parse(n.path("spec").path("providerID").textValue(),
          n.path("metadata").path("labels").path(NodeIdentity.REGION_LABEL).textValue());
      log.info("node {}: {}, from its Node object", node, id);
      return Optional.of(id);
    } catch (IllegalArgumentException e) {
      log.info("node {}: {}; instance id and region from IMDS only", node, e.getMessage());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 0 || e.getCode() >= 500 || e.getCode() == 429) {
        throw new Unanswered(e.getMessage());
      }
      log.warn("cannot read Node {}: {}; instance id and region from IMDS only", node,
          e.getCode() == 403 ? "forbidden (the agent's ClusterRole needs get on nodes)" : e.getMessage());
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      log.warn("cannot read Node {}: {}; instance id and region from IMDS only", node, e.toString());
    }
    return Optional.empty();
  }
}
