package io.eniroute.crds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid sample is refused for the reason its header names: each violation is about the
 * expected field (every sample makes exactly one mistake), and one carries the expected message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvalidSamplesRejectedTest {
  private final CrdValidators validators = new CrdValidators();

  List<SampleDocuments.Invalid> samples() {
    return SampleDocuments.invalid();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void sampleIsRejectedNamingItsField(SampleDocuments.Invalid sample) {
    List<Violation> violations = validators.validate(sample.yaml());

    assertThat(violations).as("%s must be rejected", sample).isNotEmpty();
    assertThat(violations).as("%s: every violation must be about %s", sample, sample.expectedField())
        .allSatisfy(v -> assertThat(v.field()).isEqualTo(sample.expectedField()));
    assertThat(violations).as("%s: a violation must say '%s'", sample, sample.expectedMessage())
        .anySatisfy(v -> assertThat(v.message()).contains(sample.expectedMessage()));
  }

  @Test
  void atLeastFifteenDistinctMistakes() {
    List<SampleDocuments.Invalid> samples = samples();
    assertThat(samples).hasSizeGreaterThanOrEqualTo(15);
    assertThat(samples.stream().map(s -> s.expectedField() + " / " + s.expectedMessage()).distinct().count())
        .as("distinct field/message pairs").isGreaterThanOrEqualTo(15);
  }
}
