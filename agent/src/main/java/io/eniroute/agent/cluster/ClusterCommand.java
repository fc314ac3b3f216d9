package io.eniroute.agent.cluster;

import io.eniroute.agent.drift.KernelEventSource;
import io.eniroute.agent.drift.ReconcileLoop;
import io.eniroute.agent.engine.StateStore;
import io.eniroute.agent.imds.ImdsDiscovery;
import io.eniroute.agent.imds.ImdsHints;
import io.eniroute.agent.imds.SdkMetadataSource;
import io.eniroute.agent.kernel.IpKernel;
import io.eniroute.agent.kernel.Link;
import io.eniroute.agent.observability.AgentMetrics;
import io.eniroute.agent.observability.BindAddress;
import io.eniroute.agent.safety.ProbeTargets;
import io.eniroute.agent.safety.SafeNodeRouting;
import io.eniroute.common.HttpEndpoints;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code eniroute-agent cluster}: the DaemonSet mode. Keeps this node's routing at its
 * NodeNetworkConfig, writes its status, serves /healthz, /readyz and /metrics. SIGTERM stops it
 * with the routing left in place. The flags are a contract with the Helm chart and the sandbox.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = {
    "Run as a cluster's node agent: watch this node's NodeNetworkConfig, apply it",
    "safely, heal drift, report status; serve /healthz, /readyz and /metrics.",
    "SIGTERM stops it and leaves the routing in place."})
public final class ClusterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--node", paramLabel = "NAME",
      description = "This node's name (= its NodeNetworkConfig's name); default: $NODE_NAME (downward API spec.nodeName).")
  String node;

  @Option(names = "--master", paramLabel = "URL",
      description = "API server URL; default: in-cluster config, else kubeconfig ($KUBECONFIG, ~/.kube/config).")
  String master;

  @Option(names = "--netns", paramLabel = "NAME",
      description = "Route inside this named network namespace (ip -n NAME); default: the agent's own (host networking).")
  String netns;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Journal and ownership state; keep it on the node across restarts (default: ${DEFAULT-VALUE}).")
  Path stateDir = StateStore.DEFAULT_DIR;

  @Option(names = "--health-port", defaultValue = "9765", paramLabel = "PORT",
      description = "Port of /healthz and /readyz (default ${DEFAULT-VALUE}); 0 picks a free one.")
  int healthPort;

  @Option(names = "--metrics-port", defaultValue = "9766", paramLabel = "PORT",
      description = "Port of /metrics (default ${DEFAULT-VALUE}); equal to --health-port serves all three on one port.")
  int metricsPort;

  @Option(names = "--bind-address", paramLabel = "ADDR",
      description = "Address the HTTP endpoints listen on; default: $HOST_IP (downward API status.hostIP), else 127.0.0.1."
          + " Never the wildcard unless you pass 0.0.0.0: the node may carry public Elastic IPs.")
  String bindAddress;

  @Option(names = "--imds", defaultValue = "true", arity = "1", paramLabel = "true|false",
      description = "Discover EC2 device numbers through IMDSv2 (default ${DEFAULT-VALUE}); false: the kernel's view alone.")
  boolean imds;

  @Option(names = "--imds-endpoint", paramLabel = "URL",
      description = "IMDS endpoint (default: the SDK's, http://169.254.169.254 or $AWS_EC2_METADATA_SERVICE_ENDPOINT).")
  URI imdsEndpoint;

  @Option(names = "--event-namespace", paramLabel = "NS",
      description = "Namespace of the Events about this node's NodeNetworkConfig (default: default). The API server takes "
          + "Events about cluster-scoped objects only in default (and kube-system for events.k8s.io).")
  String eventNamespace;

  @Option(names = "--resync", defaultValue = "60s", paramLabel = "DURATION",
      description = "Full reconcile period, a backstop for missed kernel events (default ${DEFAULT-VALUE}).")
  String resync;

  @Override
  public Integer call() throws Exception {
    String nodeName = nodeName();
    Duration period = parseResync();
    Config config = clientConfig();
    Optional<ProbeTargets.HostPort> api = apiServerProbe(config);
    Clock clock = Clock.systemUTC();
    // one kernel (one set of observation co-processes) for the routing and the IMDS hints
    IpKernel kernel = new IpKernel(netns);
    SafeNodeRouting routing = SafeNodeRouting.forTarget(kernel, stateDir, api);
    AgentMetrics metrics = new AgentMetrics(clock);
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        ClusterAgent agent = agent(client, nodeName, routing, kernel, period, metrics, clock);
        HttpEndpoints http = new HttpEndpoints(BindAddress.resolve(bindAddress, System.getenv()), healthPort, metricsPort, agent.health(), metrics::scrape)) {
      agent.start();
      spec.commandLine().getOut().printf("eniroute-agent cluster: node %s, API server %s, %s, state in %s%n", nodeName,
          config.getMasterUrl(), netns == null ? "host namespace" : "netns " + netns, stateDir);
      spec.commandLine().getOut().flush();
      stop.await();
    }
    spec.commandLine().getOut().println("stopped; routing left in place");
    spec.commandLine().getOut().flush();
    return 0;
  }

  private ClusterAgent agent(KubernetesClient client, String nodeName, SafeNodeRouting routing, IpKernel kernel,
      Duration period, AgentMetrics metrics, Clock clock) {
    NodeLookup lookup = new NodeLookup(client, nodeName, Duration.ofSeconds(10));
    return new ClusterAgent(client, nodeName, routing, routing::committedSpec, hints(lookup, kernel), lookup, KernelEventSource.watching(kernel),
        ReconcileLoop.Timing.defaults().withResync(period), metrics, clock, eventNamespace());
  }

  private String nodeName() {
    String n = node != null ? node : System.getenv("NODE_NAME");
    if (n == null || n.isBlank()) {
      throw new ParameterException(spec.commandLine(),
          "--node: no node name; pass --node NAME or set NODE_NAME (downward API fieldRef spec.nodeName)");
    }
    return n.strip();
  }

  private String eventNamespace() {
    // Not the pod's namespace: core/v1 Events about a cluster-scoped object (the NodeNetworkConfig)
    // must be in "default", or the API server refuses them (involvedObject.namespace validation).
    return eventNamespace == null || eventNamespace.isBlank() ? "default" : eventNamespace.strip();
  }

  private Duration parseResync() {
    try {
      Duration d = Duration.parse("PT" + resync.strip().toUpperCase());
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException();
      }
      return d;
    } catch (RuntimeException e) {
      throw new ParameterException(spec.commandLine(), "--resync: '" + resync + "' is not a positive duration; write e.g. 60s or 5m");
    }
  }

  private Config clientConfig() {
    Config auto = Config.autoConfigure(null);
    if (master == null) {
      return auto;
    }
    try {
      URI u = URI.create(master);
      if (u.getScheme() == null || u.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (RuntimeException e) {
      throw new ParameterException(spec.commandLine(), "--master: '" + master + "' is not a URL; write e.g. https://10.0.0.5:6443");
    }
    return new ConfigBuilder(auto).withMasterUrl(master).build();
  }

  /** The API server is a probe target: a change that cuts the node off the control plane is rolled back. */
  private static Optional<ProbeTargets.HostPort> apiServerProbe(Config config) {
    Optional<ProbeTargets.HostPort> env = ProbeTargets.HostPort.fromKubernetesEnv(System.getenv());
    if (env.isPresent()) {
      return env;
    }
    try {
      URI u = URI.create(config.getMasterUrl());
      int port = u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
      return Optional.of(new ProbeTargets.HostPort(u.getHost(), port));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** IMDS numbering, used only when IMDS describes the instance the Node object names. */
  private ImdsHints hints(NodeLookup lookup, IpKernel kernel) {
    if (!imds) {
      return ImdsHints.disabled();
    }
    SdkMetadataSource source = new SdkMetadataSource(imdsEndpoint, Duration.ofSeconds(1), 2);
    ImdsDiscovery discovery = new ImdsDiscovery(source, new ImdsDiscovery.Retry(Duration.ofSeconds(10),
        Duration.ofMillis(250), Duration.ofSeconds(2)));
    return new ImdsHints(discovery::discover, Duration.ofSeconds(30), System::nanoTime, () -> kernel.observe().links().stream()
        .map(Link::mac).filter(java.util.Objects::nonNull).map(m -> m.toLowerCase(java.util.Locale.ROOT))
        .collect(java.util.stream.Collectors.toSet()), lookup::instanceId);
  }
}
