package io.eniroute.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {
  static final Map<String, String> NODE = Map.of("role", "worker", "zone", "a");

  @Test
  void emptySelectorMatchesEveryNode() {
    assertThat(LabelSelectors.matches(new LabelSelector(), NODE)).isTrue();
    assertThat(LabelSelectors.matches(null, Map.of())).isTrue();
  }

  @Test
  void matchLabelsAndEveryOperator() {
    assertThat(LabelSelectors.matches(sel("role", "In", "worker", "infra"), NODE)).isTrue();
    assertThat(LabelSelectors.matches(sel("role", "In", "db"), NODE)).isFalse();
    assertThat(LabelSelectors.matches(sel("role", "NotIn", "db"), NODE)).isTrue();
    assertThat(LabelSelectors.matches(sel("gpu", "NotIn", "yes"), NODE)).isTrue(); // absent key passes NotIn
    assertThat(LabelSelectors.matches(sel("zone", "Exists"), NODE)).isTrue();
    assertThat(LabelSelectors.matches(sel("gpu", "Exists"), NODE)).isFalse();
    assertThat(LabelSelectors.matches(sel("gpu", "DoesNotExist"), NODE)).isTrue();
    LabelSelector both = new LabelSelectorBuilder().withMatchLabels(Map.of("zone", "b"))
        .addNewMatchExpression().withKey("role").withOperator("Exists").endMatchExpression().build();
    assertThat(LabelSelectors.matches(both, NODE)).isFalse();
  }

  @Test
  void invalidExpressionsAreReportedNamingTheField() {
    assertThat(LabelSelectors.problem(sel("role", "Equals", "x")))
        .hasValueSatisfying(m -> assertThat(m).contains("matchExpressions[0].operator").contains("In, NotIn, Exists"));
    assertThat(LabelSelectors.problem(sel("role", "In")))
        .hasValueSatisfying(m -> assertThat(m).contains("matchExpressions[0].values"));
    assertThat(LabelSelectors.problem(sel("role", "Exists", "x")))
        .hasValueSatisfying(m -> assertThat(m).contains("must be empty"));
    assertThat(LabelSelectors.problem(sel("role", "In", "x"))).isEmpty();
  }

  static LabelSelector sel(String key, String op, String... values) {
    return new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator(op).withValues(values)
        .endMatchExpression().build();
  }
}
