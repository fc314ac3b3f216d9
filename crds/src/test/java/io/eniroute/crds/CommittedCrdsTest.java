package io.eniroute.crds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD YAML committed at the top of crds/ is what users apply; it must be exactly what the
 * build generates from the Java model. Run crds/update-crds.sh after changing the model.
 */
class CommittedCrdsTest {
  private static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");

  @ParameterizedTest
  @ValueSource(strings = {"nodenetworkpolicies.eniroute.io-v1.yml", "nodenetworkconfigs.eniroute.io-v1.yml"})
  void committedCrdEqualsFreshGeneration(String file) throws IOException {
    String generated = Files.readString(GENERATED.resolve(file));
    String committed = Files.readString(Path.of(file));
    assertThat(committed)
        .as("crds/%s is stale: run crds/update-crds.sh and commit the result", file)
        .isEqualTo(generated);
  }
}
