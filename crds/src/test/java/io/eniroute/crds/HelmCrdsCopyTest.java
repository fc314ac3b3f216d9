package io.eniroute.crds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Helm installs the CRDs from its chart's crds/ folder, so that copy must be exactly the
 * committed crds/*.yml (crds/update-crds.sh writes both). Only a repository without a chart at
 * all has nothing to compare.
 */
class HelmCrdsCopyTest {
  private static final Path CHART = Path.of("../helm/eniroute");

  @Test
  void chartCrdsEqualCommittedCrds() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(CHART), "no Helm chart at " + CHART.toAbsolutePath());
    Path chartCrds = CHART.resolve("crds");
    List<String> committed = yamlNames(Path.of("."));
    assertThat(committed).isNotEmpty();
    assertThat(Files.isDirectory(chartCrds)).as("%s is missing: run crds/update-crds.sh", chartCrds).isTrue();
    assertThat(yamlNames(chartCrds)).as("CRD files in %s", chartCrds).containsExactlyElementsOf(committed);
    for (String name : committed) {
      assertThat(Files.readString(chartCrds.resolve(name)))
          .as("%s differs from crds/%s: run crds/update-crds.sh", chartCrds.resolve(name), name)
          .isEqualTo(Files.readString(Path.of(name)));
    }
  }

  private static List<String> yamlNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
          .sorted().toList();
    }
  }
}
