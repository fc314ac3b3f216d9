package io.eniroute.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command (ip, nft, ping, python3, kubectl) and collects its output: the one
 * helper the lab and the sandbox share.
 */
public final class Cmd {
  private Cmd() {}

  /** Exit code and output of a finished command (exit 124: timed out). */
  public record Result(List<String> argv, int exit, String out, String err) {
    public boolean ok() {
      return exit == 0;
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
    ProcessBuilder pb = new ProcessBuilder(argv);
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
