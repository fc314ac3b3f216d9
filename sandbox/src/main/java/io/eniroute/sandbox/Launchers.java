package io.eniroute.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of the real operator and agent, as built by Maven (target/*.jar with lib/).
 * Small heaps: the sandbox runs N+1 JVMs on a small machine.
 */
public final class Launchers {
  private final Path repoRoot;
  private final String java;

  public Launchers(Path repoRoot) {
    this.repoRoot = repoRoot;
    this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public Path agentJar() {
    return repoRoot.resolve("agent/target/eniroute-agent.jar");
  }

  public Path operatorJar() {
    return repoRoot.resolve("operator/target/eniroute-operator.jar");
  }

  /** Fails early, naming the command that builds what is missing. */
  public void requireBuilt() {
    for (Path jar : List.of(agentJar(), operatorJar())) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing: build it with bin/sandbox (or "
            + "mvn -B -ntp -q -pl crds,lab,agent,operator,sandbox -am install -DskipTests)");
      }
    }
  }

  /** The agent finds its API server and identity in $KUBECONFIG, which the sandbox sets per node. */
  public List<String> agent(String node, String netns, Path stateDir, int healthPort, int metricsPort) {
    List<String> cmd = jvm(96);
    cmd.addAll(List.of("-jar", agentJar().toString(), "cluster",
        "--node", node, "--netns", netns, "--state-dir", stateDir.toString(),
        "--health-port", Integer.toString(healthPort), "--metrics-port", Integer.toString(metricsPort),
        "--bind-address", "127.0.0.1", "--imds", "false"));
    return cmd;
  }

  /**
   * One replica, so no leader election; only the mock fallback lacks server-side apply, and then
   * the operator patches status with plain merge patches.
   */
  public List<String> operator(Path kubeconfig, boolean serverSideApply, String ec2Endpoint, int healthPort, int metricsPort) {
    List<String> cmd = jvm(256);
    cmd.addAll(List.of("-jar", operatorJar().toString(), "--kubeconfig", kubeconfig.toString(),
        "--health-port", Integer.toString(healthPort), "--metrics-port", Integer.toString(metricsPort),
        "--no-leader-election", "--event-namespace", "default"));
    if (!serverSideApply) {
      cmd.add("--no-server-side-apply");
    }
    if (ec2Endpoint != null) {
      cmd.addAll(List.of("--aws", "--ec2-endpoint", ec2Endpoint, "--region", Ec2Environment.REGION));
    }
    return cmd;
  }

  private List<String> jvm(int heapMb) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx" + heapMb + "m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1"); // faster start, fine for a demo
    cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    cmd.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    return cmd;
  }
}
