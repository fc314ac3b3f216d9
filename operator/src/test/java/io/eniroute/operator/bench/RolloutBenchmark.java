package io.eniroute.operator.bench;

import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.operator.rollout.RolloutPlanner;
import io.eniroute.operator.testing.TestCluster;
import io.eniroute.operator.testing.SimulatedAgents;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code bin/bench operator-rollout [nodes,nodes...] [agentDelayMs] [xmxMiB]}: rolls one policy
 * (maxUnavailable 10%) out to N simulated nodes whose agents answer after a fixed delay, and
 * compares the total time with the ideal (waves x delay, waves = 1 canary + ceil((N-1)/maxUnavailable)).
 *
 * <p>Same-run baseline: {@link OracleRollout}, the simplest driver doing the same canary and
 * rolling waves against the same mock server and agents; operator / baseline is the operator's
 * own overhead, operator / ideal includes the mock server's and this machine's.
 *
 * <p>The operator runs as its own process (OperatorMain against the in-process mock API server,
 * heap capped with -Xmx) so its heap and CPU are measured apart from the mock server and the
 * simulated agents, which run in this JVM.
 */
public final class RolloutBenchmark {
  static final Map<String, String> LABELS = Map.of("role", "worker");

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = args.length > 0 ? parse(args[0]) : List.of(1000, 5000);
    long delayMs = args.length > 1 ? Long.parseLong(args[1]) : 2000;
    int xmx = args.length > 2 ? Integer.parseInt(args[2]) : 512;
    List<String> rows = new ArrayList<>();
    for (int n : sizes) {
      rows.add(run(n, delayMs, xmx));
    }
    System.out.println();
    System.out.println("| nodes | maxUnavailable | waves | agent delay | ideal (waves x delay) | baseline driver (edit) | operator (edit) | operator / ideal | operator / baseline | first rollout, cold JVM (/ ideal) | operator heap peak (used) | operator CPU | kube-apiserver / etcd peak RSS, their CPU |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  static String run(int nodes, long delayMs, int xmxMiB) throws Exception {
    // A real kube-apiserver + etcd of its own, without the audit log (it would cost the server).
    try (TestCluster cluster = TestCluster.startOwn(false)) {
      ProcessHandle apiServer = ServerProcess.find("kube-apiserver");
      ProcessHandle etcd = ServerProcess.find("etcd");
      long t = System.nanoTime();
      for (int i = 0; i < nodes; i++) {
        cluster.createNode(String.format("node-%05d", i), LABELS);
      }
      System.out.printf("%d nodes created in %.1f s%n", nodes, (System.nanoTime() - t) / 1e9);
      int maxUnavailable = RolloutPlanner.resolve(new IntOrString("10%"), nodes);
      double baseline;
      double baselineFirst;
      try (SimulatedAgents agents = new SimulatedAgents(cluster.newClient(), Duration.ofMillis(delayMs), 16).start()) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
          names.add(String.format("node-%05d", i));
        }
        baselineFirst = OracleRollout.run(cluster.client(), names, maxUnavailable, 1);
        baseline = OracleRollout.run(cluster.client(), names, maxUnavailable, 2);
        System.out.printf("%d nodes: baseline driver %.1f s (first rollout: creates), %.1f s (second: spec patches)%n",
            nodes, baselineFirst, baseline);
      }
      cluster.client().resources(io.eniroute.crds.v1alpha1.NodeNetworkConfig.class).delete();
      while (!cluster.client().resources(io.eniroute.crds.v1alpha1.NodeNetworkConfig.class).list().getItems().isEmpty()) {
        Thread.sleep(200);
      }
      int healthPort = freePort();
      int metricsPort = freePort();
      Path targetDir = java.nio.file.Files.isDirectory(Path.of("operator", "target")) ? Path.of("operator", "target") : Path.of("target");
      Path log = targetDir.resolve("bench-operator-" + nodes + ".log");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx" + xmxMiB + "m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
      // e.g. OPERATOR_JAVA_OPTS=-XX:StartFlightRecording=filename=op.jfr to profile the operator alone
      String extra = System.getenv("OPERATOR_JAVA_OPTS");
      if (extra != null && !extra.isBlank()) {
        command.addAll(List.of(extra.trim().split("\\s+")));
      }
      command.addAll(List.of("-cp", classpath(), "io.eniroute.operator.OperatorMain",
          "--kubeconfig", cluster.plane().kubeconfigFile().toString(), "--no-leader-election",
          "--health-port", String.valueOf(healthPort), "--metrics-port", String.valueOf(metricsPort)));
      Process operator = new ProcessBuilder(command)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try (SimulatedAgents agents = new SimulatedAgents(cluster.newClient(), Duration.ofMillis(delayMs), 16).start()) {
        HttpClient http = HttpClient.newHttpClient();
        waitReady(http, healthPort, operator, log);
        Duration cpuBefore = operator.info().totalCpuDuration().orElse(Duration.ZERO);
        Duration serverCpuBefore = ServerProcess.cpu(apiServer).plus(ServerProcess.cpu(etcd));

        NodeNetworkPolicy policy = TestCluster.policy("bench", LABELS, "10%", 0, 600);
        long firstStart = System.nanoTime();
        cluster.client().resource(policy).create();
        long peakHeap = waitRolledOut(cluster, http, metricsPort, operator, log, 1, nodes);
        double first = (System.nanoTime() - firstStart) / 1e9;
        System.out.printf("%d nodes: first rollout (cold operator JVM, configs created) %.1f s%n", nodes, first);

        // The measured rollout: a policy edit on the running operator (every node gets a new spec).
        long start = System.nanoTime();
        cluster.client().resources(NodeNetworkPolicy.class).withName("bench")
            .edit(p -> {
              p.getSpec().getRouting().getMainDestinations().add("172.17.0.0/16");
              return p;
            });
        peakHeap = Math.max(peakHeap, waitRolledOut(cluster, http, metricsPort, operator, log, 2, nodes));
        double seconds = (System.nanoTime() - start) / 1e9;
        peakHeap = Math.max(peakHeap, heapUsed(http, metricsPort));
        Duration cpu = operator.info().totalCpuDuration().orElse(Duration.ZERO).minus(cpuBefore);
        Duration serverCpu = ServerProcess.cpu(apiServer).plus(ServerProcess.cpu(etcd)).minus(serverCpuBefore);
        long serverRss = ServerProcess.peakRssKiB(apiServer) >> 10;
        long etcdRss = ServerProcess.peakRssKiB(etcd) >> 10;
        System.out.printf("%d nodes: kube-apiserver peak RSS %d MiB, etcd peak RSS %d MiB, their CPU %.1f s (both rollouts)%n",
            nodes, serverRss, etcdRss, serverCpu.toMillis() / 1000.0);
        String metrics = scrape(http, metricsPort);
        double reconciles = sum(metrics, "eniroute_reconcile_seconds_count");
        double reconcileSeconds = sum(metrics, "eniroute_reconcile_seconds_sum");
        System.out.printf("%d nodes: %.0f policy reconciles, mean %.1f ms, max %.1f ms%n", nodes, reconciles,
            reconciles == 0 ? 0 : reconcileSeconds * 1000 / reconciles, sum(metrics, "eniroute_reconcile_seconds_max") * 1000);
        int waves = 1 + (int) Math.ceil((nodes - 1) / (double) maxUnavailable);
        double ideal = waves * delayMs / 1000.0;
        System.out.printf("%d nodes: operator rollout of the edit %.1f s, ideal %.1f s (%d waves x %d ms) ratio %.2f, "
            + "baseline driver %.1f s ratio %.2f; first rollout %.1f s ratio %.2f (baseline %.1f s); "
            + "operator heap peak %d MiB (-Xmx%dm), CPU %.1f s (both rollouts)%n",
            nodes, seconds, ideal, waves, delayMs, seconds / ideal, baseline, seconds / baseline, first, first / ideal,
            baselineFirst, peakHeap >> 20, xmxMiB, cpu.toMillis() / 1000.0);
        return String.format("| %d | %d (10%%) | %d | %d ms | %.1f s | %.1f s | %.1f s | **%.2fx** | %.2fx | %.1f s (%.2fx; baseline %.1f s) | %d MiB (-Xmx%dm) | %.1f s | %d MiB / %d MiB, %.1f s |",
            nodes, maxUnavailable, waves, delayMs, ideal, baseline, seconds, seconds / ideal, seconds / baseline,
            first, first / ideal, baselineFirst, peakHeap >> 20, xmxMiB, cpu.toMillis() / 1000.0, serverRss, etcdRss,
            serverCpu.toMillis() / 1000.0);
      } finally {
        operator.destroy();
        operator.waitFor();
      }
    }
  }

  /** Polls until the policy reports every node ready at {@code generation}; returns the peak heap seen. */
  static long waitRolledOut(TestCluster cluster, HttpClient http, int metricsPort, Process operator, Path log,
      long generation, int nodes) throws InterruptedException {
    long peakHeap = 0;
    while (true) {
      peakHeap = Math.max(peakHeap, heapUsed(http, metricsPort));
      NodeNetworkPolicy p = cluster.client().resources(NodeNetworkPolicy.class).withName("bench").get();
      var st = p.getStatus();
      if (st != null && st.getObservedGeneration() != null && st.getObservedGeneration() == generation
          && st.getReadyNodes() != null && st.getReadyNodes() == nodes) {
        return peakHeap;
      }
      if (!operator.isAlive()) {
        throw new IllegalStateException("the operator process died; see " + log.toAbsolutePath());
      }
      Thread.sleep(100);
    }
  }

  private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.Ee+]+)$", Pattern.MULTILINE);

  static long heapUsed(HttpClient http, int port) {
    try {
      String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = HEAP.matcher(body);
      double sum = 0;
      while (m.find()) {
        sum += Double.parseDouble(m.group(1));
      }
      return (long) sum;
    } catch (Exception e) {
      return 0;
    }
  }

  static String scrape(HttpClient http, int port) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      return "";
    }
  }

  /** Sum of a series' samples over its label sets. */
  static double sum(String metrics, String series) {
    Matcher m = Pattern.compile("^" + series + "(\\{[^}]*})? ([0-9.Ee+-]+)$", Pattern.MULTILINE).matcher(metrics);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(2));
    }
    return total;
  }

  static void waitReady(HttpClient http, int port, Process operator, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!operator.isAlive()) {
        throw new IllegalStateException("the operator process exited; see " + log.toAbsolutePath());
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the operator did not become ready within 60 s; see " + log.toAbsolutePath());
  }

  /** exec:java runs us in a URLClassLoader; the child operator gets the same classpath. */
  static String classpath() {
    ClassLoader cl = RolloutBenchmark.class.getClassLoader();
    if (cl instanceof URLClassLoader u) {
      List<String> parts = new ArrayList<>();
      for (URL url : u.getURLs()) {
        try {
          parts.add(new File(url.toURI()).getPath());
        } catch (Exception e) {
          parts.add(url.getPath());
        }
      }
      return String.join(File.pathSeparator, parts);
    }
    return System.getProperty("java.class.path");
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static List<Integer> parse(String csv) {
    return List.of(csv.split(",")).stream().map(String::trim).map(Integer::parseInt).collect(Collectors.toList());
  }

  private RolloutBenchmark() {}
}
