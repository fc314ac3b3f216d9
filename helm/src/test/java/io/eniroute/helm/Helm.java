package io.eniroute.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real helm binary on the chart. Helm is found in the HELM environment variable or at
 * .tools/bin/helm under the repository root, where bin/install-tools puts it.
 */
final class Helm {
  static final String RELEASE = "eniroute";
  static final String NAMESPACE = "eniroute-system";

  private final Path repoRoot;
  private final Path binary;

  private Helm(Path repoRoot, Path binary) {
    this.repoRoot = repoRoot;
    this.binary = binary;
  }

  /** Finds the repository root (the folder holding helm/eniroute) and the helm binary. */
  static Helm locate() {
    Path root = RepoRoot.find();
    String fromEnv = System.getenv("HELM");
    Path binary = fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : root.resolve(".tools/bin/helm");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "helm not found at " + binary + ": run bin/install-tools (it puts helm into .tools/bin), "
              + "or point the HELM environment variable at a helm v3/v4 binary");
    }
    return new Helm(root, binary);
  }

  Path repoRoot() {
    return repoRoot;
  }

  Path chart() {
    return repoRoot.resolve("helm/eniroute");
  }

  /** {@code helm lint --strict} with the given values files. */
  Result lint(Path... valuesFiles) {
    List<String> args = new ArrayList<>(List.of("lint", "--strict", chart().toString()));
    addValues(args, valuesFiles);
    return run(args);
  }

  /** {@code helm template} of the release, CRDs included, with the given values files. */
  Result template(Path... valuesFiles) {
    return template(List.of(), valuesFiles);
  }

  /** {@code helm template} with extra flags (e.g. --kube-version). */
  Result template(List<String> flags, Path... valuesFiles) {
    List<String> args = new ArrayList<>(List.of(
        "template", RELEASE, chart().toString(), "--namespace", NAMESPACE, "--include-crds"));
    args.addAll(flags);
    addValues(args, valuesFiles);
    return run(args);
  }

  /** {@code helm install --dry-run} renders NOTES.txt too (no cluster is contacted). */
  Result dryRunInstall(Path... valuesFiles) {
    List<String> args = new ArrayList<>(List.of(
        "install", RELEASE, chart().toString(), "--namespace", NAMESPACE, "--dry-run=client"));
    addValues(args, valuesFiles);
    return run(args);
  }

  /** Renders and fails with helm's own message if helm refused. */
  String render(Path... valuesFiles) {
    Result r = template(valuesFiles);
    if (r.exitCode() != 0) {
      throw new AssertionError("helm template failed (" + r.exitCode() + "):\n" + r.stderr());
    }
    return r.stdout();
  }

  private static void addValues(List<String> args, Path... valuesFiles) {
    for (Path f : valuesFiles) {
      args.add("--values");
      args.add(f.toString());
    }
  }

  private Result run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(args);
    try {
      Path out = Files.createTempFile("helm-out", ".txt");
      Path err = Files.createTempFile("helm-err", ".txt");
      try {
        Process p = new ProcessBuilder(command)
            .directory(repoRoot.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("helm did not finish within 60 s: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  /** What helm printed and how it exited. */
  record Result(int exitCode, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }
}
