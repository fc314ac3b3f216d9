package io.eniroute.crds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Defaults land where the API server puts them, and nowhere else. */
class StructuralDefaulterTest {
  private final StructuralDefaulter defaulter = new StructuralDefaulter();
  private final JsonNode policySchema = GeneratedCrd.loadAll().stream()
      .filter(c -> c.kind().equals("NodeNetworkPolicy")).findFirst().orElseThrow().schema();

  @Test
  void fillsAbsentFieldsOfPresentObjectsOnly() {
    JsonNode doc = CrdValidators.parse("spec: {nodeSelector: {}, routing: {priorityBase: 20000}}");
    JsonNode defaulted = defaulter.apply(doc, policySchema);

    JsonNode routing = defaulted.path("spec").path("routing");
    assertThat(routing.path("priorityBase").asInt()).as("user value kept").isEqualTo(20000);
    assertThat(routing.path("tableBase").asLong()).isEqualTo(10000L);
    assertThat(routing.path("mainTable").asText()).isEqualTo("RemoveDuplicates");
    assertThat(routing.path("rpFilter").asText()).isEqualTo("Loose");
    assertThat(routing.path("arpHardening").asBoolean()).isTrue();
    assertThat(defaulted.path("spec").has("rollout")).as("no parent is created").isFalse();
    assertThat(doc.path("spec").path("routing").has("tableBase")).as("input untouched").isFalse();
  }

  @Test
  void nullInANonNullableFieldIsReplacedByItsDefault() {
    JsonNode doc = CrdValidators.parse("spec: {nodeSelector: {}, rollout: {maxUnavailable: null, maxFailures: 2}}");
    JsonNode rollout = defaulter.apply(doc, policySchema).path("spec").path("rollout");
    assertThat(rollout.path("maxUnavailable").asInt()).isEqualTo(1);
    assertThat(rollout.path("maxFailures").asInt()).isEqualTo(2);
    assertThat(rollout.path("nodeTimeoutSeconds").asInt()).isEqualTo(300);
  }

  @Test
  void defaultsInsideListItemsAndInsideDefaultedObjects() {
    JsonNode schema = CrdValidators.parse("""
        type: object
        properties:
          probe:
            type: object
            default: {}
            properties:
              timeout: {type: integer, default: 10}
          items:
            type: array
            items:
              type: object
              properties:
                weight: {type: integer, default: 1}
        """);
    JsonNode defaulted = defaulter.apply(CrdValidators.parse("items: [{}, {weight: 3}]"), schema);
    assertThat(defaulted.path("probe").path("timeout").asInt()).isEqualTo(10);
    assertThat(defaulted.path("items").get(0).path("weight").asInt()).isEqualTo(1);
    assertThat(defaulted.path("items").get(1).path("weight").asInt()).isEqualTo(3);
  }
}
