package io.eniroute.helm;

import io.eniroute.lab.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
  Cmd.Result lint(Path... valuesFiles) {
    List<String> args = new ArrayList<>(List.of("lint", "--strict", chart().toString()));
    addValues(args, valuesFiles);
    return run(args);
  }

  /** {@code helm template} of the release, CRDs included, with the given values files. */
  Cmd.Result template(Path... valuesFiles) {
    return template(List.of(), valuesFiles);
  }

  /** {@code helm template} with extra flags (e.g. --kube-version). */
  Cmd.Result template(List<String> flags, Path... valuesFiles) {
    List<String> args = new ArrayList<>(List.of(
        "template", RELEASE, chart().toString(), "--namespace", NAMESPACE, "--include-crds"));
    args.addAll(flags);
    addValues(args, valuesFiles);
    return run(args);
  }

  /** {@code helm install --dry-run} renders NOTES.txt too (no cluster is contacted). */
  Cmd.Result dryRunInstall(Path... valuesFiles) {
    List<String> args = new ArrayList<>(List.of(
        "install", RELEASE, chart().toString(), "--namespace", NAMESPACE, "--dry-run=client"));
    addValues(args, valuesFiles);
    return run(args);
  }

  /** Renders and fails with helm's own message if helm refused. */
  String render(Path... valuesFiles) {
    Cmd.Result r = template(valuesFiles);
    if (r.exit() != 0) {
      throw new AssertionError("helm template failed (" + r.exit() + "):\n" + r.err());
    }
    return r.out();
  }

  private static void addValues(List<String> args, Path... valuesFiles) {
    for (Path f : valuesFiles) {
      args.add("--values");
      args.add(f.toString());
    }
  }

  private Cmd.Result run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(args);
    Cmd.Result r = Cmd.runIn(repoRoot, command, Duration.ofSeconds(60));
    if (r.exit() == 124) {
      throw new AssertionError("helm did not finish within 60 s: " + command);
    }
    return r;
  }
}
