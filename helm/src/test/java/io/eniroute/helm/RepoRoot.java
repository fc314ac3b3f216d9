package io.eniroute.helm;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root: the nearest folder up from the working directory holding the chart. */
final class RepoRoot {
  private RepoRoot() {}

  static Path find() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("helm/eniroute/Chart.yaml"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no helm/eniroute/Chart.yaml above " + Path.of("").toAbsolutePath() + ": run the tests inside the repository");
  }
}
