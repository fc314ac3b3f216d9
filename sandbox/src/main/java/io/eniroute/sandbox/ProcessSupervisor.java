package io.eniroute.sandbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the sandbox's child processes (moto_server, the operator, one agent per node) with
 * their output in log files, and stops every one of them, in reverse order, on close.
 */
public final class ProcessSupervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProcessSupervisor.class);

  private final Path logDir;
  private final List<Managed> processes = Collections.synchronizedList(new ArrayList<>());

  public ProcessSupervisor(Path logDir) {
    this.logDir = logDir;
  }

  /** A child process and how to start it again (kill/restart tests). */
  public final class Managed {
    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private volatile Process process;

    private Managed(String name, List<String> command, Map<String, String> env) {
      this.name = name;
      this.command = List.copyOf(command);
      this.env = Map.copyOf(env);
    }

    private void launch() throws IOException {
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().putAll(env);
      process = pb.start();
      log.debug("started {} (pid {}): {}", name, process.pid(), String.join(" ", command));
    }

    public String name() { return name; }
    public Path logFile() { return logDir.resolve(name + ".log"); }
    public boolean alive() { return process != null && process.isAlive(); }
    public long pid() { return process.pid(); }

    /** SIGKILL, like an OOM kill or a node crash: no shutdown hook runs. */
    public void kill() throws InterruptedException {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
    }

    /** SIGTERM, then SIGKILL after a grace period. */
    public void stop(Duration grace) throws InterruptedException {
      if (process == null || !process.isAlive()) {
        return;
      }
      List<ProcessHandle> children = process.descendants().toList();
      process.destroy();
      if (!process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
      children.forEach(ProcessHandle::destroyForcibly);
    }

    public void restart() throws IOException {
      if (alive()) {
        throw new IllegalStateException(name + " is still running");
      }
      launch();
    }

    /** Exit code if it has exited, for a clear error when a child dies at startup. */
    public Integer exitCode() {
      return process.isAlive() ? null : process.exitValue();
    }
  }

  public Managed start(String name, List<String> command, Map<String, String> env) throws IOException {
    Managed m = new Managed(name, command, env);
    m.launch();
    processes.add(m);
    return m;
  }

  /** Waits until {@code port} on loopback accepts connections, or fails naming the process and its log. */
  public static void awaitPort(Managed m, int port, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!m.alive()) {
        throw new IOException(m.name() + " exited with code " + m.exitCode() + " before listening on port "
            + port + "; see " + m.logFile());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException(m.name() + " did not listen on port " + port + " within " + timeout + "; see " + m.logFile());
  }

  public Path logDir() {
    return logDir;
  }

  public List<Managed> processes() {
    synchronized (processes) {
      return List.copyOf(processes);
    }
  }

  @Override
  public void close() {
    List<Managed> all = processes();
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        all.get(i).stop(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        all.get(i).process.destroyForcibly();
      }
    }
  }
}
