package io.eniroute.lab.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** What a command line (kubectl, helm) printed and how it ended. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

  public boolean ok() {
    return exitCode == 0;
  }

  /** The output, or an exception carrying the command and everything it printed. */
  public String orThrow() {
    if (!ok()) {
      throw new IllegalStateException(this.toString());
    }
    return stdout;
  }

  @Override
  public String toString() {
    return String.join(" ", command) + " -> exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
  }

  /** Runs {@code argv}, feeding {@code stdin} when not null; a command past {@code timeout} is killed. */
  public static CommandResult run(List<String> argv, String stdin, Duration timeout) {
    try {
      Process p = new ProcessBuilder(argv).start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor();
        return new CommandResult(argv, -1, out.join(), err.join() + "\n(killed after " + timeout + ")");
      }
      return new CommandResult(argv, p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + argv.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + argv.get(0), e);
    }
  }

  private static String drain(java.io.InputStream s) {
    try (s) {
      return new String(s.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
