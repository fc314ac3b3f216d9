package io.eniroute.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/sandbox}: the whole system on this machine, then the five-step scenario. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
    description = {"Runs eniroute end to end on this machine (as root): an embedded Kubernetes API, EC2 (moto_server or an in-memory fake),",
        "N nodes as network namespaces in a VPC-like lab, the real operator and one real agent per node;",
        "then the scenario: the seed's failure, a rollout, drift healing, a bad change that rolls back, a clean uninstall."})
public final class SandboxMain implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "3", description = "Nodes (EC2 instances, namespaces, agents). Default ${DEFAULT-VALUE}.")
  int nodes;

  @Option(names = "--keep", description = "Leave everything running after the scenario, until Ctrl-C.")
  boolean keep;

  @Option(names = "--ec2", defaultValue = "auto",
      description = "moto, fake or auto (moto when moto_server is on PATH, else the in-memory fake). Default ${DEFAULT-VALUE}.")
  String ec2;

  @Option(names = "--mock-api",
      description = "Use the fabric8 mock server instead of a real kube-apiserver (the fallback when bin/install-control-plane could not provide one).")
  boolean mockApi;

  @Option(names = "--repo", defaultValue = ".", description = "The eniroute checkout (crds/*.yml, built jars). Default: the current directory.")
  Path repo;

  @Option(names = "--run-dir", description = "Where logs go. Default: /tmp/eniroute-sandbox/<timestamp>.")
  Path runDir;

  @Option(names = "--rollout-timeout", defaultValue = "180", description = "Seconds a rollout may take before the step fails. Default ${DEFAULT-VALUE}.")
  int rolloutTimeoutSeconds;

  public static void main(String[] args) {
    // The story goes to stdout; library chatter (mock server, SDK) only when it matters.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("sandbox.log", "warn"));
    System.setProperty("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", "error");
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
      h.setLevel(java.util.logging.Level.WARNING);
    }
    System.exit(new CommandLine(new SandboxMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    SandboxOptions.Ec2Mode mode;
    try {
      mode = SandboxOptions.Ec2Mode.valueOf(ec2.toUpperCase());
    } catch (IllegalArgumentException e) {
      System.err.println("--ec2 must be moto, fake or auto (got " + ec2 + ")");
      return 2;
    }
    if (!Files.isDirectory(repo.resolve("crds"))) {
      System.err.println("--repo " + repo.toAbsolutePath() + " is not the eniroute checkout (no crds/ folder); run from the repository root");
      return 2;
    }
    Path dir = runDir != null ? runDir
        : Path.of("/tmp/eniroute-sandbox", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    SandboxOptions options = new SandboxOptions(nodes, mode, repo.toAbsolutePath().normalize(), dir, mockApi);
    Narrator narrator = new Narrator(System.out, System.console() != null);
    narrator.raw("eniroute sandbox: " + nodes + " nodes; EC2 " + (options.useMoto() ? "moto_server" : "IN-MEMORY FAKE"));

    CountDownLatch finished = new CountDownLatch(1);
    Sandbox[] holder = new Sandbox[1];
    Thread hook = new Thread(() -> {
      Sandbox sb = holder[0];
      if (sb != null) {
        narrator.raw("\ncleaning up: processes, namespaces, EC2 (logs stay in " + dir.resolve("logs") + ")");
        sb.close();
      }
      finished.countDown();
    }, "sandbox-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);

    Summary summary;
    Sandbox started;
    try {
      started = Sandbox.start(options, narrator, LabVpc::create);
    } catch (Exception e) {
      narrator.raw("\nthe sandbox could not start: " + e.getMessage()
          + "\n(everything it had started is stopped and removed; logs: " + dir.resolve("logs") + ")");
      return 1;
    }
    try (Sandbox sb = started) {
      holder[0] = sb;
      ScenarioContext ctx = new ScenarioContext(sb, Duration.ofSeconds(rolloutTimeoutSeconds));
      List<StepReport> reports = Scenario.standard().run(ctx);
      summary = new Summary(reports);
      narrator.raw(summary.render(nodes + " nodes, EC2 " + sb.ec2().label() + "; logs: " + dir.resolve("logs")));
      if (keep) {
        narrator.raw(keepHelp(sb));
        finished.await(); // Ctrl-C runs the hook, which closes everything
      }
    } finally {
      holder[0] = null; // closed by try-with-resources; the hook has nothing left to do
    }
    return summary.passed() ? 0 : 1;
  }

  private static String keepHelp(Sandbox sb) {
    StringBuilder b = new StringBuilder("\n--keep: everything stays up until Ctrl-C. Explore:\n");
    String kubectl = "  kubectl --kubeconfig " + sb.kubeconfig();
    b.append(kubectl).append(" get nnp,nnc,nodes\n");
    b.append(kubectl).append(" describe nnp ").append(Policies.NAME).append("      # conditions and Events\n");
    b.append(kubectl).append(" explain nnp.spec.rollout\n");
    b.append(kubectl).append(" apply -f crds/examples/policy-minimal.yaml   # validated by the server's schema and CEL\n");
    b.append(kubectl).append(" get events -A\n");
    for (SandboxNode n : sb.nodes()) {
      b.append("  ip -n ").append(n.netns()).append(" rule    # ").append(n.name())
          .append(", agent log ").append(n.agent().logFile()).append('\n');
    }
    b.append("  operator log ").append(sb.operator().logFile()).append('\n');
    return b.toString();
  }
}
