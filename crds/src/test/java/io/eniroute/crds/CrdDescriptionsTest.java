package io.eniroute.crds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code kubectl explain} prints a field's schema description; an empty one leaves an admin guessing. */
class CrdDescriptionsTest {
  @Test
  void everySchemaPropertyOfBothCrdsHasADescription() {
    List<GeneratedCrd> crds = GeneratedCrd.loadAll();
    assertThat(crds).extracting(GeneratedCrd::kind).containsExactlyInAnyOrder("NodeNetworkPolicy", "NodeNetworkConfig");
    for (GeneratedCrd crd : crds) {
      List<String> properties = new ArrayList<>();
      List<String> undescribed = new ArrayList<>();
      walk(crd.schema(), crd.kind(), properties, undescribed);
      assertThat(properties).as("%s schema properties", crd.kind()).contains(crd.kind() + ".spec", crd.kind() + ".status");
      assertThat(undescribed).as("%s properties without a description (add @JsonPropertyDescription)", crd.kind()).isEmpty();
    }
  }

  private static void walk(JsonNode schema, String path, List<String> properties, List<String> undescribed) {
    for (Map.Entry<String, JsonNode> p : iterable(schema.path("properties"))) {
      String child = path + "." + p.getKey();
      properties.add(child);
      if (p.getValue().path("description").asText().isBlank()) {
        undescribed.add(child);
      }
      walk(p.getValue(), child, properties, undescribed);
    }
    if (schema.has("items")) {
      walk(schema.get("items"), path + "[]", properties, undescribed);
    }
    if (schema.path("additionalProperties").isObject()) {
      walk(schema.get("additionalProperties"), path + "{}", properties, undescribed);
    }
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
    return node::fields;
  }
}
