package io.eniroute.agent.bench;

import io.eniroute.agent.imds.FakeImds;
import io.eniroute.crds.v1alpha1.AgentResult;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.lab.Lab;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * {@code bin/bench agent-footprint [IDLE_SECONDS]}: the agent's steady-state cost while it
 * idles, watching its NodeNetworkConfig. In one run, side by side over the same idle window:
 * <ol>
 *   <li>the real agent process ({@code cluster} mode against a mock API server, one applied
 *       NodeNetworkConfig and the node's Node object, a lab node namespace, IMDSv2 discovery against a local fake, so the AWS
 *       SDK is loaded as on EC2) with the small-footprint flags the
 *       chart sets in JAVA_TOOL_OPTIONS;
 *   <li>the same agent with the JVM's default flags (the baseline the flags are judged against);
 *   <li>an idle JVM that only sleeps, with the small flags (the floor no Java agent goes below).
 * </ol>
 * RSS is VmRSS from /proc/PID/status at the end of the window (and its peak during it), CPU is
 * utime+stime from /proc/PID/stat over the window. Targets: under 96 MiB RSS and under 1% of one
 * core idle. Needs root (network namespaces) and the packaged agent (bin/bench builds it).
 */
public final class FootprintBenchmark {
  /** The flags of helm/eniroute/values.yaml agent.javaToolOptions. */
  static final List<String> SMALL_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
      "-XX:CompileThresholdScaling=10",
      "-Xss256k", "-Xms8m", "-Xmx48m", "-Xmn1m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:MaxMetaspaceSize=64m",
      "-XX:ReservedCodeCacheSize=16m", "-XX:MaxDirectMemorySize=16m", "-XX:TrimNativeHeapInterval=60000",
      "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData");
  private static final double TARGET_RSS_MIB = 96;
  private static final double TARGET_CPU_PERCENT = 1.0;

  /** Held so the level sticks (JUL keeps loggers weakly). */
  private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private FootprintBenchmark() {}

  record Sample(String name, long pid, double rssMiB, double peakRssMiB, double cpuPercent, Children children) {}

  /** The agent's child processes (ip monitor, the observation co-processes): not in its VmRSS. */
  record Children(int count, double rssMiB, double anonMiB) {}

  public static void main(String[] args) throws Exception {
    int idleSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    QUIET.setLevel(java.util.logging.Level.WARNING);
    String why = Lab.unavailableReason();
    if (why != null) {
      System.err.println("agent-footprint needs the network lab: " + why);
      System.exit(2);
    }
    Path agentJar = find("agent/target/eniroute-agent.jar", "target/eniroute-agent.jar");
    Path testClasses = agentJar.getParent().resolve("test-classes");
    String java = ProcessHandle.current().info().command().orElse("java");
    long tick = clockTicks();

    List<Process> procs = new ArrayList<>();
    Path state = Files.createTempDirectory("eniroute-footprint");
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(List.of(CustomResourceDefinitionContext.fromCustomResourceType(NodeNetworkConfig.class))),
        false);
    server.init();
    try (Lab lab = Lab.create(); KubernetesClient client = server.createClient(); FakeImds imds0 = new FakeImds();
        FakeImds imds1 = new FakeImds()) {
      String master = client.getConfiguration().getMasterUrl();
      List<FakeImds> imds = List.of(imds0, imds1); // one instance per node
      List<String> nodes = List.of("small", "default");
      for (int n = 0; n < nodes.size(); n++) {
        String node = nodes.get(n);
        lab.addNode(node);
        imds.get(n).instance(String.format("i-%017x", n), "eu-west-1", lab.macFor(n * 2));
        for (int i = 0; i < 2; i++) {
          String mac = lab.macFor(n * 2 + i);
          lab.attachEni(node, "eth" + i, mac);
          imds.get(n).eni(mac, String.format("eni-%017x", n * 2 + i), i, null, Lab.SUBNET, "10.0.0." + (100 + n * 10 + i * 2));
          lab.assignAddresses(node, mac, List.of("10.0.0." + (100 + n * 10 + i * 2), "10.0.0." + (101 + n * 10 + i * 2)));
        }
        lab.configureNaive(node);
        // Its Node object as on EKS: the agent GETs it once at start (and Jackson loads the Node model).
        client.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(node)
            .addToLabels("topology.kubernetes.io/region", "eu-west-1").endMetadata()
            .withNewSpec().withProviderID(String.format("aws:///eu-west-1a/i-%017x", n)).endSpec().build()).create();
        NodeNetworkConfig c = new NodeNetworkConfig();
        c.setMetadata(new ObjectMetaBuilder().withName(node).build());
        NodeNetworkConfigSpec s = new NodeNetworkConfigSpec();
        s.setPolicy("footprint");
        s.setPolicyGeneration(1L);
        s.getSafety().setProbeTimeoutSeconds(2);
        c.setSpec(s);
        client.resources(NodeNetworkConfig.class).resource(c).create();
      }
      String cp = agentJar + File.pathSeparator + agentJar.getParent().resolve("lib") + File.separator + "*";
      procs.add(agent(java, smallFlags(), cp, master, imds0.endpoint().toString(), "small", lab.netns("small"),
          state.resolve("small")));
      procs.add(agent(java, List.of(), cp, master, imds1.endpoint().toString(), "default", lab.netns("default"),
          state.resolve("default")));
      List<String> idle = new ArrayList<>(List.of(java));
      idle.addAll(smallFlags());
      idle.addAll(List.of("-cp", testClasses.toString(), IdleJvm.class.getName()));
      procs.add(new ProcessBuilder(idle).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());

      for (String node : nodes) {
        waitApplied(client, node, Duration.ofSeconds(90));
      }
      System.out.printf("both agents report Applied; settling 10 s, then measuring %d s of idle%n", idleSeconds);
      Thread.sleep(10_000);

      String[] names = {"agent, small flags", "agent, JVM defaults", "idle JVM, small flags"};
      long[] cpu0 = new long[3];
      double[] peak = new double[3];
      for (int i = 0; i < 3; i++) {
        cpu0[i] = cpuTicks(procs.get(i).pid());
      }
      long t0 = System.nanoTime();
      for (int s = 0; s < idleSeconds; s++) {
        Thread.sleep(1000);
        for (int i = 0; i < 3; i++) {
          peak[i] = Math.max(peak[i], rssMiB(procs.get(i).pid()));
        }
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      List<Sample> out = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        long pid = procs.get(i).pid();
        if (!procs.get(i).isAlive()) {
          throw new IllegalStateException(names[i] + " exited during the measurement");
        }
        double cpu = (cpuTicks(pid) - cpu0[i]) * 100.0 / tick / secs;
        out.add(new Sample(names[i], pid, rssMiB(pid), peak[i], cpu, children(pid)));
      }
      print(out, secs);
    } finally {
      for (Process p : procs) {
        p.destroy();
      }
      for (Process p : procs) {
        p.waitFor();
      }
      server.destroy();
    }
  }

  /** The small flags, or $FOOTPRINT_FLAGS (space-separated) to try others. */
  private static List<String> smallFlags() {
    String env = System.getenv("FOOTPRINT_FLAGS");
    return env == null || env.isBlank() ? SMALL_FLAGS : List.of(env.strip().split("\\s+"));
  }

  private static Process agent(String java, List<String> flags, String cp, String master, String imds, String node,
      String netns, Path stateDir) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(flags);
    cmd.addAll(List.of("-cp", cp, "io.eniroute.agent.AgentMain", "cluster", "--node", node, "--master", master,
        "--netns", netns, "--state-dir", stateDir.toString(), "--health-port", "0", "--metrics-port", "0",
        "--bind-address", "127.0.0.1", "--imds-endpoint", imds));
    Path log = Files.createTempFile("eniroute-footprint-" + node, ".log");
    System.out.println("started: " + String.join(" ", cmd) + "  (log " + log + ")");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("KUBERNETES_SERVICE_HOST");
    return pb.start();
  }

  private static void waitApplied(KubernetesClient client, String node, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      NodeNetworkConfig c = client.resources(NodeNetworkConfig.class).withName(node).get();
      if (c != null && c.getStatus() != null && c.getStatus().getResult() == AgentResult.APPLIED) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("agent for " + node + " did not report Applied within " + max.toSeconds() + " s");
  }

  private static void print(List<Sample> s, double secs) {
    Sample small = s.get(0);
    Sample dflt = s.get(1);
    Sample floor = s.get(2);
    System.out.printf("%nagent footprint, idle-watching one NodeNetworkConfig, %.0f s window (same run)%n", secs);
    System.out.printf("%-24s %10s %14s %14s%n", "process", "RSS MiB", "peak RSS MiB", "CPU % of core");
    for (Sample x : s) {
      System.out.printf("%-24s %10.1f %14.1f %14.3f%n", x.name(), x.rssMiB(), x.peakRssMiB(), x.cpuPercent());
    }
    Children c = small.children();
    System.out.printf("agent (small) child processes: %d (ip monitor, ip -json -batch, namespace shell), VmRSS sum %.1f MiB"
        + " of which private anonymous %.1f MiB (libc and binaries are shared file pages)%n", c.count(), c.rssMiB(), c.anonMiB());
    System.out.printf("%nsmall flags vs JVM defaults: RSS x%.2f, CPU x%.2f%n", small.rssMiB() / dflt.rssMiB(),
        dflt.cpuPercent() == 0 ? Double.NaN : small.cpuPercent() / dflt.cpuPercent());
    System.out.printf("agent (small) vs idle JVM floor: RSS x%.2f (+%.1f MiB)%n", small.rssMiB() / floor.rssMiB(),
        small.rssMiB() - floor.rssMiB());
    System.out.printf("targets: RSS < %.0f MiB: %s (%.1f); idle CPU < %.0f%%: %s (%.3f%%)%n", TARGET_RSS_MIB,
        small.peakRssMiB() < TARGET_RSS_MIB ? "met" : "MISSED", small.peakRssMiB(), TARGET_CPU_PERCENT,
        small.cpuPercent() < TARGET_CPU_PERCENT ? "met" : "MISSED", small.cpuPercent());
  }

  private static Path find(String... candidates) {
    for (String c : candidates) {
      Path p = Path.of(c).toAbsolutePath();
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException("no packaged agent at " + String.join(" or ", candidates)
        + "; build it with: mvn -q -B -pl crds,lab,agent -am install -DskipTests");
  }

  private static long clockTicks() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return out.isEmpty() ? 100 : Long.parseLong(out);
  }

  /** utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15). */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  static Children children(long pid) throws IOException {
    int n = 0;
    double rss = 0;
    double anon = 0;
    for (ProcessHandle h : ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
      try {
        rss += field(h.pid(), "VmRSS:");
        anon += field(h.pid(), "RssAnon:");
        n++;
      } catch (IOException | IllegalStateException gone) {
        // exited meanwhile
      }
    }
    return new Children(n, rss, anon);
  }

  private static double field(long pid, String name) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    throw new IllegalStateException("no " + name + " for " + pid);
  }

  /** VmRSS of a process in MiB. */
  static double rssMiB(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }
}
