package io.eniroute.agent.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A long-lived child that reads requests on stdin and answers with lines on stdout
 * ({@code ip -json -batch -}, {@code sh}). On a no-op pass, starting the observation processes
 * costs more than the work they do, so they stay up between passes: stopped after a quiet period
 * without requests, restarted on the next one. One request at a time (send, then receive); any
 * failure (the child died, did not answer in time) stops it and throws, and the caller decides
 * what to fall back to. Its stderr is discarded: callers re-run a failed request as a one-shot
 * process to learn why.
 */
final class CoProcess implements AutoCloseable {
  private final List<String> argv;
  private final long timeoutMillis;
  private final long idleMillis;
  private final ScheduledExecutorService timer;

  private Process process;
  private OutputStream stdin;
  private BufferedReader stdout;
  private ScheduledFuture<?> idleStop;
  /** Kills the child if the answer to the request in flight does not come in time. */
  private ScheduledFuture<?> watchdog;
  private long lastAnswer;

  CoProcess(List<String> argv, long timeoutMillis, long idleMillis, ScheduledExecutorService timer) {
    this.argv = List.copyOf(argv);
    this.timeoutMillis = timeoutMillis;
    this.idleMillis = idleMillis;
    this.timer = timer;
  }

  /**
   * Sends a request without waiting for its answer, so several co-processes can work at once;
   * the caller must {@link #receive} it before the next send, and {@link #close} this co-process
   * if it cannot (an unread answer would be taken for the next one).
   */
  synchronized void send(String input) {
    if (idleStop != null) {
      idleStop.cancel(false);
    }
    Process p = ensureStarted();
    watchdog = timer.schedule(p::destroyForcibly, timeoutMillis, TimeUnit.MILLISECONDS);
    try {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      watchdog.cancel(false);
      close();
      throw new KernelException(String.join(" ", argv) + ": " + e.getMessage(), e);
    }
  }

  /** Reads the answer to the last {@link #send} until {@code complete} says it is whole. */
  synchronized List<String> receive(Predicate<List<String>> complete) {
    Process p = process;
    try {
      if (p == null) {
        throw new KernelException(String.join(" ", argv) + ": nothing was sent");
      }
      List<String> lines = new ArrayList<>();
      while (!complete.test(lines)) {
        String line = stdout.readLine();
        if (line == null) {
          throw new KernelException(String.join(" ", argv) + (watchdog.isDone()
              ? " did not answer within " + timeoutMillis + " ms" : " stopped (exit " + exitOf(p) + ")"));
        }
        lines.add(line);
      }
      lastAnswer = System.nanoTime();
      idleStop = timer.schedule(this::stopIfIdle, idleMillis, TimeUnit.MILLISECONDS);
      return lines;
    } catch (IOException | RuntimeException e) {
      close();
      throw e instanceof KernelException ke ? ke
          : new KernelException(String.join(" ", argv) + ": " + e.getMessage(), e);
    } finally {
      if (watchdog != null) {
        watchdog.cancel(false);
      }
    }
  }

  private synchronized void stopIfIdle() {
    // the timer may fire while a request holds the lock: only a child that stayed quiet is stopped
    if (System.nanoTime() - lastAnswer >= TimeUnit.MILLISECONDS.toNanos(idleMillis)) {
      close();
    }
  }

  /** Stops the child (closing its stdin ends it); the next request starts a new one. */
  @Override
  public synchronized void close() {
    if (process == null) {
      return;
    }
    try {
      stdin.close();
    } catch (IOException ignored) {
      // it is being stopped anyway
    }
    try {
      if (!process.waitFor(1, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  private Process ensureStarted() {
    if (process != null && process.isAlive()) {
      return process;
    }
    close();
    try {
      process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new KernelException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
    }
    stdin = process.getOutputStream();
    stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    return process;
  }

  private static String exitOf(Process p) {
    try {
      return p.waitFor(200, TimeUnit.MILLISECONDS) ? String.valueOf(p.exitValue()) : "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }
}
