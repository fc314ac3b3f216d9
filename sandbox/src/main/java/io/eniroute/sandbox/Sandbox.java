package io.eniroute.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system on one machine: EC2 (moto or the fake), a real kube-apiserver + etcd (the
 * mock server only as a fallback) with the CRDs, the chart's identities and one Node per instance, the VPC lab with one namespace per node mirroring EC2, the
 * real operator and one real agent per node. {@link #close()} tears every piece down, in reverse
 * order, however far {@link #start} got; it is safe to call twice (shutdown hook + finally).
 */
public final class Sandbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sandbox.class);
  /** The label the sandbox's policy selects nodes by. */
  public static final String NODE_LABEL = "eniroute.io/multi-nic";

  private final SandboxOptions options;
  private final Narrator narrator;
  private final Launchers launchers;
  private final ProcessSupervisor supervisor;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread hook = new Thread(this::close, "sandbox-cleanup-hook");
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Map<String, SandboxNode> nodes = new LinkedHashMap<>();
  private Ec2Environment ec2;
  private SandboxApi api;
  private Vpc vpc;
  private LabMirror mirror;
  private ProcessSupervisor.Managed operator;
  private Path kubeconfig;
  private boolean elasticIps;

  private Sandbox(SandboxOptions options, Narrator narrator, VpcFactory vpcFactory) throws IOException {
    this.options = options;
    this.narrator = narrator;
    this.launchers = new Launchers(options.repoRoot());
    Files.createDirectories(options.runDir().resolve("logs"));
    this.supervisor = new ProcessSupervisor(options.runDir().resolve("logs"));
    this.vpcFactory = vpcFactory;
  }

  private final VpcFactory vpcFactory;

  /** Creates the lab: a seam so the VPC implementation (the lab module) is chosen in one place. */
  @FunctionalInterface
  public interface VpcFactory {
    Vpc create();
  }

  public static Sandbox start(SandboxOptions options, Narrator narrator, VpcFactory vpcFactory) throws Exception {
    Sandbox sb = new Sandbox(options, narrator, vpcFactory);
    // Last resort (a killed test JVM, Ctrl-C): no child process outlives the sandbox.
    Runtime.getRuntime().addShutdownHook(sb.hook);
    try {
      sb.boot();
      return sb;
    } catch (Exception | Error e) {
      sb.close();
      throw e;
    }
  }

  private void boot() throws Exception {
    launchers.requireBuilt();
    narrator.say("run directory: " + options.runDir() + " (logs in " + options.runDir().resolve("logs") + ")");

    ec2 = options.useMoto() ? MotoEc2.start(supervisor) : new InMemoryEc2();
    closeables.add(ec2);
    narrator.say("EC2: " + ec2.label());
    if (ec2.endpoint().isPresent()) {
      int pool = options.nodes() * Policies.SECONDARIES_PER_NODE + 2;
      elasticIps = ec2.allocateElasticIpPool(pool, Policies.POOL_TAG_KEY, Policies.POOL_TAG_VALUE);
      narrator.say("EC2: " + pool + " Elastic IPs allocated with tag " + Policies.POOL_TAG_KEY + "=" + Policies.POOL_TAG_VALUE
          + " (the pool the policy takes from)");
    }

    String noRealServer = options.mockApi() ? "--mock-api was given" : RealApi.unavailableReason();
    if (noRealServer == null) {
      api = RealApi.start();
    } else {
      narrator.say("Kubernetes API: no real kube-apiserver (" + noRealServer + "): falling back to the fabric8 mock server");
      api = EmbeddedApi.start(options.repoRoot().resolve("crds"));
    }
    closeables.add(api);
    kubeconfig = api.writeKubeconfig(options.runDir().resolve("kubeconfig"));
    narrator.say("Kubernetes API: " + api.label() + "; kubectl --kubeconfig " + kubeconfig);

    vpc = vpcFactory.create();
    closeables.add(vpc);

    List<String> names = new ArrayList<>();
    for (int i = 1; i <= options.nodes(); i++) {
      names.add("node-" + i);
    }
    Map<String, String> nodeByInstance = new LinkedHashMap<>();
    for (Ec2Instance inst : ec2.launch(names)) {
      String netns = vpc.addNode(inst.node());
      Path state = Files.createDirectories(options.runDir().resolve("state").resolve(inst.node()));
      nodes.put(inst.node(), new SandboxNode(inst.node(), netns, inst, state));
      nodeByInstance.put(inst.instanceId(), inst.node());
      api.createNode(inst.node(), inst.providerId(), Ec2Environment.REGION, inst.zone(), Map.of(NODE_LABEL, "true"));
    }
    narrator.say("VPC lab: gateway " + Vpc.GATEWAY + "/" + Vpc.PREFIX + ", outside client, " + nodes.size()
        + " node namespaces " + nodes.values().stream().map(SandboxNode::netns).toList());

    // With moto the operator writes addr/len, so hot-plugged ENIs get no DHCP, as on AL2023 and Bottlerocket.
    mirror = new LabMirror(ec2, vpc, nodeByInstance, narrator::event, !ec2ByOperator());
    closeables.add(mirror);
    mirror.start(250);

    startOperator();
    for (SandboxNode n : nodes.values()) {
      startAgent(n);
    }
    narrator.say("operator and " + nodes.size() + " agents running: " + supervisor.processes().stream()
        .map(p -> p.name() + "(pid " + p.pid() + ")").toList());
  }

  private void startOperator() throws IOException, InterruptedException {
    int health = Ports.free();
    Map<String, String> env = ec2.endpoint().isPresent() ? MotoEc2.CREDENTIALS_ENV : Map.of();
    Path identity = api.operatorKubeconfig(options.runDir().resolve("kubeconfig-operator"));
    operator = supervisor.start("operator",
        launchers.operator(identity, api.serverSideApply(), ec2.endpoint().orElse(null), health, Ports.free()), env);
    awaitUp(operator, health);
  }

  private void startAgent(SandboxNode n) throws IOException, InterruptedException {
    int health = Ports.free();
    Path identity = api.agentKubeconfig(n.name(), options.runDir().resolve("kubeconfig-agent-" + n.name()));
    ProcessSupervisor.Managed agent = supervisor.start("agent-" + n.name(),
        launchers.agent(n.name(), n.netns(), n.stateDir(), health, Ports.free()), Map.of("KUBECONFIG", identity.toString()));
    n.agent(agent);
    awaitUp(agent, health);
  }

  /** Waits for the health port; a process that exits at once is an error naming its log. */
  private static void awaitUp(ProcessSupervisor.Managed p, int healthPort) throws IOException, InterruptedException {
    ProcessSupervisor.awaitPort(p, healthPort, Duration.ofSeconds(60));
  }

  public Ec2Environment ec2() { return ec2; }
  public SandboxApi api() { return api; }
  public Vpc vpc() { return vpc; }
  public LabMirror mirror() { return mirror; }
  public ProcessSupervisor.Managed operator() { return operator; }
  public List<SandboxNode> nodes() { return List.copyOf(nodes.values()); }
  public SandboxNode node(String name) { return nodes.get(name); }
  public Narrator narrator() { return narrator; }
  public Path runDir() { return options.runDir(); }
  public Path kubeconfig() { return kubeconfig; }
  public boolean ec2ByOperator() { return ec2.endpoint().isPresent(); }
  /** True when the policy also asks for Elastic IPs (moto only). */
  public boolean elasticIps() { return elasticIps; }

  /** Closes {@code c} with the sandbox (before the lab goes), unless it was closed already; idempotent closes only. */
  public synchronized void closeWith(AutoCloseable c) {
    closeables.add(c);
  }

  /** Restarts a process that was killed (the kill/restart tests). */
  public void restart(ProcessSupervisor.Managed p) throws IOException {
    p.restart();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or ran: nothing to remove
      }
    }
    if (mirror != null) {
      mirror.close(); // the fabric stops first, so it does not poll a stopped EC2
    }
    supervisor.close(); // operator and agents next: nothing may touch the lab while it goes away
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        log.warn("cleanup of {} failed: {}", closeables.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    deleteTree(options.runDir().resolve("state"));
    if (kubeconfig != null) {
      // They point at a server that is gone (and hold tokens).
      try (Stream<Path> files = Files.list(options.runDir())) {
        files.filter(f -> f.getFileName().toString().startsWith("kubeconfig")).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        log.warn("cannot delete the kubeconfigs in {}: {}", options.runDir(), e.toString());
      }
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", dir, e.toString());
    }
  }
}
