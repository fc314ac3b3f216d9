package io.eniroute.crds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CEL half of the harness behaves like the API server on the points the eniroute rules rely
 * on: every rule of the generated CRDs compiles, int-or-string is dyn, has() on absent fields,
 * defaults are in place before rules run, and a rule that would not compile in the API server
 * does not compile here either.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CelRuleCheckTest {
  private final CrdValidators validators = new CrdValidators();

  private static final String POLICY = """
      apiVersion: eniroute.io/v1alpha1
      kind: NodeNetworkPolicy
      metadata: {name: p}
      spec:
        nodeSelector: {}
      """;

  @Test
  void everyRuleOfTheGeneratedCrdsCompiles() {
    for (GeneratedCrd crd : GeneratedCrd.loadAll()) {
      long rulesInYaml = StreamSupport.stream(crd.schema().findValues("x-kubernetes-validations").spliterator(), false)
          .mapToLong(JsonNode::size).sum();
      assertThat(rulesInYaml).as("%s has CEL rules", crd.kind()).isPositive();
      assertThat(new CelRuleCheck(crd.schema()).ruleCount()).as(crd.kind()).isEqualTo(rulesInYaml);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "7", "'1%'", "'25%'", "'100%'"})
  void maxUnavailableAcceptsPositiveIntsAndPercentages(String value) {
    assertThat(validators.validate(POLICY + "  rollout: {maxUnavailable: " + value + "}\n")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "'0%'", "'101%'", "'5'", "'%'"})
  void maxUnavailableRefusesZeroNegativeAndMalformed(String value) {
    assertThat(validators.validate(POLICY + "  rollout: {maxUnavailable: " + value + "}\n"))
        .extracting(Violation::field).containsExactly("spec.rollout.maxUnavailable");
  }

  @Test
  void rulesSeeDefaultsNotTheRawDocument() {
    // rollout: {} has no maxUnavailable; the rule reads it, so it must see the default 1
    String yaml = POLICY + "  rollout: {}\n  routing: {mainDestinations: [10.244.0.0/16]}\n";
    assertThat(validators.validate(yaml)).isEmpty();

    CrdValidator policy = validators.forKind("NodeNetworkPolicy");
    List<Violation> onRawDocument = new CelRuleCheck(policy.crd().schema()).check(CrdValidators.parse(yaml));
    assertThat(onRawDocument).extracting(Violation::field).containsExactlyInAnyOrder("spec.rollout", "spec.routing", "spec.routing");
    assertThat(onRawDocument).allSatisfy(v -> assertThat(v.message()).startsWith("rule evaluation error"));
  }

  @Test
  void hasIsFalseOnAbsentFieldsAndTrueOnZeroValues() {
    assertThat(validators.validate(POLICY + "  interfaces: {include: [{deviceIndex: 0}]}\n")).isEmpty();
    assertThat(validators.validate(POLICY + "  interfaces: {exclude: [{name: eth0}, {}]}\n"))
        .extracting(Violation::field).containsExactly("spec.interfaces.exclude[1]");
  }

  @Test
  void aRuleNamingAFieldTheSchemaLacksDoesNotCompile() {
    JsonNode schema = CrdValidators.parse("""
        type: object
        properties:
          replicas: {type: integer}
        x-kubernetes-validations:
          - rule: self.replica > 0
        """);
    assertThatThrownBy(() -> new CelRuleCheck(schema))
        .hasMessageContaining("does not compile").hasMessageContaining("replica");
  }

  @Test
  void aRuleThatIsNotBooleanDoesNotCompile() {
    JsonNode schema = CrdValidators.parse("""
        type: object
        properties:
          replicas: {type: integer}
        x-kubernetes-validations:
          - rule: self.replicas + 1
        """);
    assertThatThrownBy(() -> new CelRuleCheck(schema)).hasMessageContaining("does not compile");
  }

  @Test
  void aFieldPathOutsideTheSchemaIsRefused() {
    JsonNode schema = CrdValidators.parse("""
        type: object
        properties:
          replicas: {type: integer}
        x-kubernetes-validations:
          - rule: self.replicas > 0
            fieldPath: .replica
        """);
    assertThatThrownBy(() -> new CelRuleCheck(schema)).hasMessageContaining("fieldPath .replica");
  }

  @Test
  void rulesOnListsListItemsAndMapValuesReportTheirPath() {
    JsonNode schema = CrdValidators.parse("""
        type: object
        properties:
          ports:
            type: array
            x-kubernetes-validations:
              - rule: size(self) < 2
                message: at most one port
            items:
              type: object
              properties:
                from: {type: integer}
                to: {type: integer}
              x-kubernetes-validations:
                - rule: self.from <= self.to
                  fieldPath: .to
          labels:
            type: object
            additionalProperties:
              type: string
              x-kubernetes-validations:
                - rule: size(self) <= 3
        """);
    List<Violation> violations = new CelRuleCheck(schema).check(CrdValidators.parse("""
        ports: [{from: 1, to: 2}, {from: 5, to: 4}]
        labels: {a: abc, b: abcd}
        """));
    assertThat(violations).containsExactly(
        new Violation("ports", "at most one port"),
        new Violation("ports[1].to", "failed rule: self.from <= self.to"),
        new Violation("labels[b]", "failed rule: size(self) <= 3"));
  }
}
