package io.eniroute.operator;

import io.eniroute.common.HttpEndpoints;
import io.eniroute.operator.aws.AddressAllocator;
import io.eniroute.operator.reconciler.KubernetesEventRecorder;
import io.eniroute.operator.reconciler.PolicyReconciler;
import io.eniroute.operator.reconciler.RolloutMetrics;
import io.eniroute.operator.runtime.AllocatorWiring;
import io.eniroute.operator.runtime.CrdGuard;
import io.eniroute.operator.runtime.OperatorRuntime;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of {@code eniroute-operator}: rolls NodeNetworkPolicies out to the cluster's nodes. */
@Command(name = "eniroute-operator", mixinStandardHelpOptions = true,
    description = "Rolls NodeNetworkPolicies out to nodes as NodeNetworkConfigs, a canary first, then waves.")
public final class OperatorMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);
  /**
   * Where Events about cluster-scoped objects must live: the API server rejects a core/v1 Event
   * whose involvedObject has no namespace in any other namespace ("involvedObject.namespace does
   * not match event.namespace"), so the operator's own namespace is not an option.
   */
  static final String EVENT_NAMESPACE = "default";
  private static final Path SA_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "kubeconfig to use. Default: in-cluster service account, then $KUBECONFIG / ~/.kube/config.")
  File kubeconfig;

  @Option(names = "--server", paramLabel = "URL",
      description = "API server URL (e.g. http://127.0.0.1:8443 for a test server); overrides the kubeconfig's.")
  String server;

  @Option(names = "--health-port", defaultValue = "8081", description = "Port for /healthz and /readyz (default ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(names = "--metrics-port", defaultValue = "8080", description = "Port for /metrics (default ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--leader-election", negatable = true,
      description = "Elect a leader through a Lease (default: on in-cluster, off elsewhere).")
  Boolean leaderElection;

  @Option(names = "--leader-election-namespace", paramLabel = "NS",
      description = "Namespace of the Lease (default: the pod's namespace, else 'default').")
  String leaseNamespace;

  @Option(names = "--lease-name", defaultValue = "eniroute-operator", description = "Name of the Lease (default ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(names = "--event-namespace", paramLabel = "NS", defaultValue = EVENT_NAMESPACE,
      description = "Namespace for Events about policies (default ${DEFAULT-VALUE}: the API server accepts Events about"
          + " cluster-scoped objects there only).")
  String eventNamespace;

  @Option(names = "--aws", description = "Manage EC2 interfaces and addresses for policies with spec.aws.")
  boolean aws;

  @Option(names = "--ec2-endpoint", paramLabel = "URL", description = "EC2 endpoint override (e.g. a moto server).")
  URI ec2Endpoint;

  @Option(names = "--region", description = "AWS region (default: the SDK's default chain).")
  String region;

  @Option(names = "--manage-crds", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Update the installed CRDs when they are older than this operator (default: on). Off: refuse to start then.")
  boolean manageCrds;

  @Option(names = "--no-server-side-apply", description = "Patch status without server-side apply (for test API servers).")
  boolean noSsa;

  public static void main(String[] args) {
    System.exit(new CommandLine(new OperatorMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    boolean inCluster = kubeconfig == null && server == null && System.getenv("KUBERNETES_SERVICE_HOST") != null;
    KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig()).build();
    boolean elect = leaderElection != null ? leaderElection : inCluster;
    String ownNamespace = ownNamespace(System.getenv("POD_NAMESPACE"));
    String namespace = leaseNamespace != null ? leaseNamespace : ownNamespace;
    String events = eventNamespace;
    if (!EVENT_NAMESPACE.equals(events)) {
      log.warn("--event-namespace {}: the API server accepts Events about cluster-scoped policies only in {};"
          + " expect them to be rejected", events, EVENT_NAMESPACE);
    }

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Optional<AddressAllocator> allocator = AllocatorWiring.fromOptions(aws, ec2Endpoint, region, registry);
    Clock clock = Clock.systemUTC();
    PolicyReconciler reconciler = new PolicyReconciler(clock, allocator,
        new KubernetesEventRecorder(client, clock, events), new RolloutMetrics(registry));
    OperatorRuntime runtime = new OperatorRuntime(client, reconciler,
        OperatorRuntime.Options.production(elect ? leaseName : null, namespace, !noSsa));
    HttpEndpoints http = new HttpEndpoints("0.0.0.0", healthPort, metricsPort, runtime, registry::scrape);
    log.info("eniroute-operator: API server {}, leader election {}, health :{}, metrics :{}, EC2 {}, events in {}",
        client.getConfiguration().getMasterUrl(), elect ? "on (lease " + namespace + "/" + leaseName + ")" : "off",
        http.healthPort(), http.metricsPort(), allocator.isPresent() ? "on" : "off", events);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping");
      runtime.close();
      http.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    try {
      new CrdGuard(client, manageCrds).ensureCurrent();
    } catch (CrdGuard.OutdatedCrdException e) {
      log.error("not starting: {}", e.getMessage());
      http.close();
      client.close();
      return 3;
    }
    runtime.start();
    stopped.await();
    return 0;
  }

  /**
   * The namespace the operator runs in (its Lease's default): $POD_NAMESPACE (the chart sets it
   * from the downward API), else the service account's, else "default" (outside a cluster).
   */
  static String ownNamespace(String podNamespace) throws IOException {
    if (podNamespace != null && !podNamespace.isBlank()) {
      return podNamespace.trim();
    }
    return Files.isReadable(SA_NAMESPACE) ? Files.readString(SA_NAMESPACE).trim() : "default";
  }

  private Config clientConfig() throws Exception {
    Config base = kubeconfig != null ? Config.fromKubeconfig(Files.readString(kubeconfig.toPath())) : Config.autoConfigure(null);
    if (server == null) {
      return base;
    }
    return new ConfigBuilder(base).withMasterUrl(server).build();
  }
}
