package io.eniroute.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command (ip, nft, ping, python3, kubectl, helm, promtool) and collects its
 * output: the one helper the lab, the sandbox and every module's tests share.
 */
public final class Cmd {
  private Cmd() {}

  /** Exit code and output of a finished command (exit 124: timed out). */
  public record Result(List<String> argv, int exit, String out, String err) {
    public boolean ok() {
      return exit == 0;
    }

    /** stdout then stderr, as a terminal shows them. */
    public String output() {
      return out + err;
    }

    @Override
    public String toString() {
      return String.join(" ", argv) + " -> exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }

    /** This result, or an exception naming the command and its stderr. */
    public Result check() {
      if (!ok()) {
        throw new LabException(String.join(" ", argv) + " failed (exit " + exit + "): " + err.strip());
      }
      return this;
    }
  }

  static Result run(List<String> argv, String stdin, long timeoutMillis) {
    return run(new ProcessBuilder(argv), argv, stdin, timeoutMillis);
  }

  /** Runs {@code argv} feeding {@code stdin} (null: none); past {@code timeout} it is killed (exit 124). */
  public static Result run(List<String> argv, String stdin, Duration timeout) {
    return run(argv, stdin, timeout.toMillis());
  }

  /** Runs {@code argv} in the directory {@code dir}, without input. */
  public static Result runIn(Path dir, List<String> argv, Duration timeout) {
    return run(new ProcessBuilder(argv).directory(dir.toFile()), argv, null, timeout.toMillis());
  }

  private static Result run(ProcessBuilder pb, List<String> argv, String stdin, long timeoutMillis) {
    try {
      Process p = pb.start();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor();
        return new Result(argv, 124, out.join(), err.join() + " (timed out after " + timeoutMillis + " ms)");
      }
      return new Result(argv, p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + argv.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted while running " + String.join(" ", argv));
    }
  }

  static Result run(String... argv) {
    return run(List.of(argv), null, 30_000);
  }

  /** Runs without input; never throws for a non-zero exit (look at the result). */
  public static Result run(List<String> argv, long timeoutMillis) {
    return run(argv, null, timeoutMillis);
  }

  /** Runs (30 s at most) and returns stdout, or fails naming the command and its stderr. */
  public static String check(String... argv) {
    return run(List.of(argv), null, 30_000).check().out();
  }

  private static CompletableFuture<String> drain(InputStream s) {
    return CompletableFuture.supplyAsync(() -> {
      try (s) {
        return new String(s.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }
}
