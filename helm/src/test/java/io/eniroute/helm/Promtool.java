package io.eniroute.helm;

import io.eniroute.lab.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Prometheus's real promtool: .tools/bin/promtool (bin/install-tools) or $PROMTOOL. */
final class Promtool {
  private final Path binary;

  private Promtool(Path binary) {
    this.binary = binary;
  }

  static Promtool locate(Path repoRoot) {
    String fromEnv = System.getenv("PROMTOOL");
    Path binary = fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : repoRoot.resolve(".tools/bin/promtool");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("promtool not found at " + binary
          + ": run bin/install-tools (it unpacks promtool from Debian's prometheus package into .tools/bin), "
          + "or point the PROMTOOL environment variable at one");
    }
    return new Promtool(binary);
  }

  /** Runs promtool with {@code args} in {@code dir}; exit code and everything it printed. */
  Cmd.Result run(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    Cmd.Result r = Cmd.runIn(dir, command, Duration.ofSeconds(60));
    if (r.exit() == 124) {
      throw new AssertionError("promtool did not finish within 60 s: " + command);
    }
    return r;
  }
}
