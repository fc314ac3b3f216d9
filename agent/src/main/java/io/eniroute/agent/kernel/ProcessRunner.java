package io.eniroute.agent.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Starts external commands (ip, sh) and collects their output; the only place that forks. */
public class ProcessRunner {
  private static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";

  private final long timeoutMillis;
  /**
   * Reads the commands' stdout/stderr. Not the common pool: on 2 cores it has one thread, which
   * serialises the drains of commands meant to run in parallel (observe starts two at once).
   */
  private final ExecutorService drains = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "eniroute-process-io");
    t.setDaemon(true);
    return t;
  });

  /** Watchdogs and idle stops of the co-processes; created with the first one. */
  private ScheduledExecutorService timer;

  public ProcessRunner(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
    // The JDK's default (posix_spawn through jspawnhelper) costs an extra exec per command; vfork
    // is the cheapest way for a JVM to start the many short ip processes the agent runs. The JDK
    // reads this once, at its first process start; an explicit -D setting wins.
    if (System.getProperty(LAUNCH_MECHANISM) == null) {
      System.setProperty(LAUNCH_MECHANISM, "VFORK");
    }
  }

  public ProcessRunner() {
    this(60_000);
  }

  /** Exit code and output of a finished command. */
  public record Result(int exit, String out, String err) {}

  /** A started command; {@link #await()} collects it, so several can run at once. */
  public final class Running {
    private final List<String> argv;
    private final Process process;
    private final CompletableFuture<String> out;
    private final CompletableFuture<String> err;

    private Running(List<String> argv, Process process) {
      this.argv = argv;
      this.process = process;
      this.out = drain(process.getInputStream());
      this.err = drain(process.getErrorStream());
    }

    public Result await() {
      try {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new KernelException(String.join(" ", argv) + " did not finish within " + timeoutMillis + " ms");
        }
        return new Result(process.exitValue(), out.join(), err.join());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new KernelException("interrupted while running " + argv.get(0));
      }
    }
  }

  public Running start(List<String> argv, String stdin) {
    try {
      Process p = new ProcessBuilder(argv).start();
      Running r = new Running(argv, p);
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // it exited before reading its input (e.g. a namespace that does not exist): its exit
        // code and stderr, collected by await(), say why better than "Broken pipe"
      }
      return r;
    } catch (IOException e) {
      throw new KernelException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
    }
  }

  public Result run(List<String> argv, String stdin) {
    return start(argv, stdin).await();
  }

  /**
   * A long-lived child answering requests on stdin (see {@link CoProcess}), stopped after
   * {@code idleMillis} without one.
   */
  public synchronized CoProcess coProcess(List<String> argv, long idleMillis) {
    if (timer == null) {
      ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
        Thread th = new Thread(r, "eniroute-process-timer");
        th.setDaemon(true);
        return th;
      });
      t.setRemoveOnCancelPolicy(true); // a watchdog per request: cancelled ones must not pile up
      timer = t;
    }
    return new CoProcess(argv, timeoutMillis, idleMillis, timer);
  }

  private CompletableFuture<String> drain(InputStream s) {
    return CompletableFuture.supplyAsync(() -> {
      try (s) {
        return new String(s.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }, drains);
  }
}
