package io.eniroute.crds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example a user may copy from crds/examples/ is accepted by the generated CRDs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesAcceptedTest {
  private final CrdValidators validators = new CrdValidators();

  List<Path> examples() {
    return SampleDocuments.examples();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleIsAccepted(Path example) {
    List<Violation> violations = validators.validate(SampleDocuments.read(example));
    assertThat(violations).as("%s should be accepted", example).isEmpty();
  }

  @Test
  void examplesCoverBothKindsAndAtLeastFiveDocuments() {
    List<String> kinds = examples().stream()
        .map(p -> CrdValidators.parse(SampleDocuments.read(p)).path("kind").asText())
        .toList();
    assertThat(kinds).hasSizeGreaterThanOrEqualTo(5).contains("NodeNetworkPolicy", "NodeNetworkConfig");
  }
}
