package io.eniroute.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart installs the same CRDs the Java model generates (crds/update-crds.sh copies them). */
@org.junit.jupiter.api.extension.ExtendWith(RenderedCharts.class)
class ChartCrdsTest {
  private final Path root = RepoRoot.find();
  private final RenderedCharts.Charts charts;

  ChartCrdsTest(RenderedCharts.Charts charts) {
    this.charts = charts;
  }

  @Test
  void chartCrdsAreByteForByteTheGeneratedOnes() throws IOException {
    List<String> generated = yamlNames(root.resolve("crds"));
    List<String> inChart = yamlNames(root.resolve("helm/eniroute/crds"));
    assertThat(generated).isNotEmpty();
    assertThat(inChart).as("files in helm/eniroute/crds (run crds/update-crds.sh)").isEqualTo(generated);
    for (String name : generated) {
      assertThat(Files.readString(root.resolve("helm/eniroute/crds").resolve(name)))
          .as("helm/eniroute/crds/%s differs from crds/%s: run crds/update-crds.sh", name, name)
          .isEqualTo(Files.readString(root.resolve("crds").resolve(name)));
    }
  }

  @Test
  void helmRendersBothCrds() {
    List<HasMetadata> objects = charts.of(ValueSet.DEFAULTS).objects();
    assertThat(objects).filteredOn(CustomResourceDefinition.class::isInstance)
        .extracting(o -> o.getMetadata().getName())
        .containsExactlyInAnyOrder("nodenetworkpolicies.eniroute.io", "nodenetworkconfigs.eniroute.io");
  }

  private static List<String> yamlNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
          .sorted().toList();
    }
  }
}
