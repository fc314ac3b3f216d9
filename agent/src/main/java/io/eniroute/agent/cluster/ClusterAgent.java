package io.eniroute.agent.cluster;

import io.eniroute.agent.drift.KernelEventSource;
import io.eniroute.agent.drift.ReconcileLoop;
import io.eniroute.agent.imds.ImdsHints;
import io.eniroute.agent.observability.AgentMetrics;
import io.eniroute.agent.observability.Health;
import io.eniroute.agent.routing.NodeRouting;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent as a DaemonSet pod: keeps this node's routing at its NodeNetworkConfig and reports
 * back in its status. Watches only its own config; every spec change, kernel drift and resync
 * runs one pass of the (safe) routing on the reconcile loop's thread; the API server being
 * unreachable changes nothing on the node (the last config stays and keeps being healed).
 */
public final class ClusterAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterAgent.class);
  /** The same event within this window is one Event with a count. */
  static final Duration EVENT_WINDOW = Duration.ofMinutes(10);

  private final String node;
  private final ConfigWatch watch;
  private final StatusWriter writer;
  private final ReconcileLoop loop;
  private final Health health;
  private final NodeLookup nodeLookup;
  private final NodeEventRecorder nodeEvents;
  private Thread loopThread;

  /**
   * @param routing the node's safe routing (e.g. a SafeNodeRouting); absent specs become reverts
   * @param committed the journal's last committed spec (healed until the API server answers)
   * @param hints IMDS numbering, normally cross-checked against {@code nodeLookup}'s instance id
   * @param nodeLookup reads this node's Node object once, started with the agent
   */
  public ClusterAgent(KubernetesClient client, String node, NodeRouting routing,
      Supplier<Optional<NodeNetworkConfigSpec>> committed, ImdsHints hints, NodeLookup nodeLookup, KernelEventSource events,
      ReconcileLoop.Timing settings, AgentMetrics metrics, Clock clock) {
    this(client, node, routing, committed, hints, nodeLookup, events, settings, metrics, clock, "default");
  }

  /** @param eventNamespace where the Events about this node's config go (the agent pod's namespace in the chart) */
  public ClusterAgent(KubernetesClient client, String node, NodeRouting routing,
      Supplier<Optional<NodeNetworkConfigSpec>> committed, ImdsHints hints, NodeLookup nodeLookup, KernelEventSource events,
      ReconcileLoop.Timing settings, AgentMetrics metrics, Clock clock, String eventNamespace) {
    this.node = node;
    this.nodeLookup = nodeLookup;
    this.health = new Health(this::loopAlive, events::alive);
    this.writer = new StatusWriter(client);
    ReconcileLoop[] self = new ReconcileLoop[1];
    this.watch = new ConfigWatch(client, node, why -> self[0].requestReconcile());
    LiveNumbering live = new LiveNumbering(() -> routing.status().interfaces());
    DesiredConfig desired = new DesiredConfig(node, watch::latest, committed, hints,
        () -> NodeIdentity.describe(nodeLookup.identity(), hints.last()), live);
    this.nodeEvents = new NodeEventRecorder(client, eventNamespace, node, () -> {
      ConfigWatch.Snapshot latest = watch.latest();
      return latest == null || latest.deleted() || latest.config() == null ? null : NodeEventRecorder.reference(latest.config());
    }, clock, EVENT_WINDOW);
    ReportSink sink = new ReportSink(desired::target, writer, metrics, health, clock, nodeEvents::record);
    // The loop asks for the spec right before it applies it: the moment to say Pending for a new generation.
    Supplier<Optional<NodeNetworkConfigSpec>> announced = () -> {
      Optional<NodeNetworkConfigSpec> spec = desired.get();
      sink.starting(desired.target());
      return spec;
    };
    this.loop = new ReconcileLoop(new DesiredStateRouting(routing), announced, r -> {
      live.update(r);
      sink.accept(r);
    }, events, settings);
    self[0] = loop;
  }

  public Health health() {
    return health;
  }

  /** Waits for the Events queued so far (tests). */
  void flushEvents() {
    nodeEvents.flush();
  }

  /** Status patches written so far (tests). */
  public long statusWrites() {
    writer.flush();
    return writer.writes();
  }

  /** Starts watching and reconciling; returns at once (the API server may be unreachable). */
  public synchronized ClusterAgent start() {
    nodeLookup.start();
    watch.start().whenComplete((ok, err) -> {
      if (err == null) {
        boolean present = watch.latest() != null;
        if (!present) {
          log.info("no NodeNetworkConfig named {} yet: idle until the operator creates one", node);
        }
        health.configSynced(present);
      }
    });
    loopThread = new Thread(loop::run, "reconcile-loop");
    loopThread.start();
    return this;
  }

  private boolean loopAlive() {
    Thread t = loopThread;
    return t != null && t.isAlive();
  }

  /** Stops watching and reconciling; the routing stays as it is (a restart must not cause an outage). */
  @Override
  public synchronized void close() {
    loop.close();
    if (loopThread != null) {
      try {
        loopThread.join(60_000); // the pass in progress, if any, finishes: never half a change
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    nodeLookup.close();
    watch.close();
    writer.close();
    nodeEvents.close();
  }
}
