package io.eniroute.agent.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.agent.LabPerClass;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eniroute-agent run} as a separate JVM, killed (Runtime.halt, as a power cut) between
 * the journal write and the end of a change; the next start must end in the old or the new
 * state, never a mix, with no leaked rule or route. SIGTERM must exit 0 and leave the routing.
 */
class CrashLabTest extends LabPerClass {
  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void aChangeKilledMidwayEndsOldOrNewNeverMixedAndSigtermLeavesTheRouting() throws Exception {
    SeedNode n = new SeedNode(lab, "crash");
    Path a = dir.resolve("a.yaml");
    Files.writeString(a, "safety:\n  probeTimeoutSeconds: 2\n");
    Path b = dir.resolve("b.yaml");
    Files.writeString(b, "safety:\n  probeTimeoutSeconds: 2\nrouting:\n  mainDestinations: [172.17.0.0/16]\n");
    Journal journal = Journal.forTarget(dir.resolve("state"), n.netns);

    // Config A, then SIGTERM: exit 0, routing left as it was.
    Agent agent = start(n, a, null);
    agent.awaitLine("APPLIED");
    String stateA = n.dump();
    assertThat(n.silentAddresses()).isEmpty();
    assertThat(agent.sigterm()).isZero();
    assertThat(agent.out).as("stderr: %s", agent.err).anyMatch(l -> l.startsWith("stopped; routing left in place"));
    assertThat(n.dump()).isEqualTo(stateA);
    assertThat(n.silentAddresses()).isEmpty();

    // Change to B, killed after the batch, before probes and commit: B is in the kernel, uncommitted.
    Agent killed = start(n, b, CrashPoint.AFTER_APPLY);
    assertThat(killed.awaitExit()).isEqualTo(137);
    String stateB = n.dump();
    assertThat(stateB).isNotEqualTo(stateA).contains("to 172.17.0.0/16 lookup main proto 228");
    assertThat(journal.read().orElseThrow().phase()).isEqualTo(Journal.Phase.IN_PROGRESS);

    // Next start: rolls back to A (the committed config), then applies B again with its probes.
    Agent next = start(n, b, null);
    next.awaitLine("APPLIED");
    assertThat(next.err).anyMatch(l -> l.contains("interrupted change") && l.contains("rolling back"));
    assertThat(n.dump()).isEqualTo(stateB);
    assertThat(journal.read().orElseThrow().phase()).isEqualTo(Journal.Phase.COMMITTED);
    assertThat(next.sigterm()).isZero();

    // Change back to A, killed right after the journal write: nothing applied yet.
    Agent early = start(n, a, CrashPoint.AFTER_JOURNAL);
    assertThat(early.awaitExit()).isEqualTo(137);
    assertThat(n.dump()).isEqualTo(stateB);
    Agent last = start(n, a, null);
    last.awaitLine("APPLIED");
    assertThat(n.dump()).isEqualTo(stateA);
    assertThat(n.silentAddresses()).isEmpty();
    assertThat(last.sigterm()).isZero();
    assertThat(n.dump()).isEqualTo(stateA);
  }

  @Test
  void anAgentProcessKilledAfterARollbackBeforeItsCommitEndsOnTheOldConfig() throws Exception {
    SeedNode n = new SeedNode(lab, "rbk");
    Path a = dir.resolve("a.yaml");
    Files.writeString(a, "safety:\n  probeTimeoutSeconds: 2\n");
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "safety:\n  probeTimeoutSeconds: 1\nrouting:\n  gateway: 10.0.0.254\n");
    Journal journal = Journal.forTarget(dir.resolve("state"), n.netns);
    Agent agent = start(n, a, null);
    agent.awaitLine("APPLIED");
    String stateA = n.dump();
    assertThat(agent.sigterm()).isZero();

    // The broken change is applied, fails its probes and is rolled back; the process dies right
    // before the journal records the rollback (the first before-commit point of this change).
    Agent killed = start(n, broken, CrashPoint.BEFORE_COMMIT);
    assertThat(killed.awaitExit()).isEqualTo(137);
    assertThat(journal.read().orElseThrow().phase()).isEqualTo(Journal.Phase.IN_PROGRESS);
    assertThat(n.dump()).isEqualTo(stateA);

    Agent next = start(n, a, null); // prints nothing for a pass that writes nothing: wait on the journal
    await().atMost(java.time.Duration.ofSeconds(60))
        .until(() -> journal.read().map(e -> e.phase() == Journal.Phase.COMMITTED).orElse(false));
    assertThat(next.err).anyMatch(l -> l.contains("interrupted change") && l.contains("rolling back"));
    assertThat(journal.read().orElseThrow().phase()).isEqualTo(Journal.Phase.COMMITTED);
    assertThat(n.dump()).isEqualTo(stateA);
    assertThat(n.silentAddresses()).isEmpty();
    assertThat(next.sigterm()).isZero();
  }

  @Test
  void revertStillWorksAfterTheAgentStopped() throws Exception {
    SeedNode n = new SeedNode(lab, "stop");
    String naive = n.dump();
    Path a = dir.resolve("a.yaml");
    Files.writeString(a, "safety:\n  probeTimeoutSeconds: 2\n");
    Agent agent = start(n, a, null);
    agent.awaitLine("APPLIED");
    assertThat(agent.sigterm()).isZero();
    assertThat(n.dump()).isNotEqualTo(naive);

    Process revert = new ProcessBuilder(java("revert", "--netns", n.netns, "--state-dir", dir.resolve("state").toString()))
        .redirectErrorStream(true).start();
    started.add(revert);
    String output = new String(revert.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(revert.waitFor()).as(output).isZero();
    assertThat(n.dump()).isEqualTo(naive);
  }

  private Agent start(SeedNode n, Path file, String haltAt) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(java("run", "-f", file.toString(), "--netns", n.netns,
        "--state-dir", dir.resolve("state").toString()));
    pb.environment().remove(CrashPoint.ENV);
    if (haltAt != null) {
      pb.environment().put(CrashPoint.ENV, haltAt);
    }
    Process p = pb.start();
    started.add(p);
    return new Agent(p);
  }

  private static List<String> java(String... args) {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", cp, "io.eniroute.agent.AgentMain"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** A running agent process with its output collected line by line. */
  static final class Agent {
    final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();

    Agent(Process process) {
      this.process = process;
      pumps.add(pump(process.getInputStream(), out));
      pumps.add(pump(process.getErrorStream(), err));
    }

    private static Thread pump(java.io.InputStream in, List<String> sink) {
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            sink.add(line);
          }
        } catch (IOException ignored) {
          // process gone
        }
      });
      t.setDaemon(true);
      t.start();
      return t;
    }

    void awaitLine(String prefix) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (out.stream().noneMatch(l -> l.startsWith(prefix))) {
        if (!process.isAlive() || System.nanoTime() > end) {
          throw new AssertionError("no '" + prefix + "' line from the agent; stdout: " + out + "; stderr: "
              + err.stream().filter(l -> !l.contains("DEBUG")).toList());
        }
        Thread.sleep(20);
      }
    }

    int sigterm() throws InterruptedException {
      process.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
      return awaitExit();
    }

    int awaitExit() throws InterruptedException {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("agent did not exit; stdout: " + out);
      }
      for (Thread t : pumps) {
        t.join(5000); // the last lines
      }
      return process.exitValue();
    }
  }
}
