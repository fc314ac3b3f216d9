package io.eniroute.agent.drift;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code ip [-n NS] -o -4 monitor link address route rule} in the background and turns
 * each line into a {@link KernelEvent}. If the process dies it is restarted (after a short
 * pause) and a synthetic event is sent, since changes may have been missed meanwhile.
 */
public final class KernelMonitor implements KernelEventSource {
  private static final Logger log = LoggerFactory.getLogger(KernelMonitor.class);
  private static final long RESTART_PAUSE_MILLIS = 500;

  private final List<String> command;
  private volatile boolean closed;
  private volatile Process process;
  private Thread reader;

  /** @param netns network namespace to watch, or null for the agent's own */
  public KernelMonitor(String netns) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    if (netns != null) {
      cmd.addAll(List.of("-n", netns));
    }
    cmd.addAll(List.of("-o", "-4", "monitor", "link", "address", "route", "rule"));
    this.command = List.copyOf(cmd);
  }

  /** Reads the lines of any command (tests feed it lines the parser or the handler cannot take). */
  KernelMonitor(List<String> command) {
    this.command = List.copyOf(command);
  }

  @Override
  public synchronized void start(Consumer<KernelEvent> sink) {
    if (reader != null) {
      throw new IllegalStateException("monitor already started");
    }
    reader = new Thread(() -> readLoop(sink), "kernel-monitor");
    reader.setDaemon(true);
    reader.start();
  }

  private void readLoop(Consumer<KernelEvent> sink) {
    boolean first = true;
    while (!closed) {
      try {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process = p;
        if (closed) {
          p.destroy();
          break;
        }
        if (!first) {
          deliver(sink, "monitor restarted");
        }
        first = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            deliver(sink, line);
          }
        } finally {
          p.destroy();
        }
        if (!closed) {
          log.warn("'{}' ended (exit {}); restarting it", String.join(" ", command), p.waitFor());
        }
      } catch (IOException e) {
        if (!closed) {
          log.warn("kernel monitor failed: {}; restarting it", e.getMessage());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // Never let the thread die on a bug: a dead monitor heals nothing.
        log.error("kernel monitor failed: {}; restarting it", e.toString(), e);
      }
      pause();
    }
  }

  /** Parses and hands on one line; a line or handler that fails costs that line, never the thread. */
  private static void deliver(Consumer<KernelEvent> sink, String line) {
    try {
      sink.accept(KernelEvent.parse(line));
    } catch (RuntimeException ex) {
      log.warn("kernel event handler failed on '{}': {}", line, ex.toString());
    }
  }

  /** The reader thread runs (or was not started yet); false after it died. */
  @Override
  public synchronized boolean alive() {
    return closed || reader == null || reader.isAlive();
  }

  private void pause() {
    try {
      Thread.sleep(RESTART_PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /** The running monitor process (for tests that kill it), or null. */
  Process process() {
    return process;
  }

  @Override
  public void close() {
    closed = true;
    Process p = process;
    if (p != null) {
      p.destroy();
    }
  }
}
