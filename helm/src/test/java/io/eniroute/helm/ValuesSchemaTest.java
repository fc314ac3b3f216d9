package io.eniroute.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * values.schema.json closes every object it describes (additionalProperties: false), so a typo
 * anywhere fails; the only open objects are string maps (labels, annotations, nodeSelector) and
 * the deep parts of Kubernetes' own Affinity, which the API server and the typed parse check.
 */
class ValuesSchemaTest {
  /** Objects whose keys are optional by nature (no CPU limit on purpose, affinity terms). */
  private static final java.util.Set<String> OPTIONAL_INSIDE = java.util.Set.of("resources", "affinity");

  private final Helm helm = Helm.locate();

  @Test
  void everyDescribedObjectIsClosed() throws IOException {
    JsonNode schema = new ObjectMapper().readTree(helm.chart().resolve("values.schema.json").toFile());
    List<String> open = new ArrayList<>();
    walk(schema, "", open);
    assertThat(open).as("objects that accept unknown keys").isEmpty();
  }

  @Test
  void everyDefaultValueIsDescribedAndEveryDescribedKeyHasADefault() throws IOException {
    JsonNode schema = new ObjectMapper().readTree(helm.chart().resolve("values.schema.json").toFile());
    JsonNode values = new YAMLMapper().readTree(helm.chart().resolve("values.yaml").toFile());
    List<String> missing = new ArrayList<>();
    compareKeys(values, schema, schema, "", missing);
    assertThat(missing).as("schema keys without a default in values.yaml (document them there)").isEmpty();
  }

  @Test
  void everyValueInTheSchemaHasADescription() throws IOException {
    JsonNode schema = new ObjectMapper().readTree(helm.chart().resolve("values.schema.json").toFile());
    List<String> undescribed = new ArrayList<>();
    describedWalk(schema, "", undescribed);
    schema.path("definitions").fields().forEachRemaining(d -> describedWalk(d.getValue(), "#/definitions/" + d.getKey(), undescribed));
    assertThat(undescribed).as("values.schema.json properties without a description").isEmpty();
  }

  private static void describedWalk(JsonNode node, String path, List<String> undescribed) {
    node.path("properties").fields().forEachRemaining(p -> {
      if (p.getValue().path("description").asText().isBlank()) {
        undescribed.add(path + "/" + p.getKey());
      }
      describedWalk(p.getValue(), path + "/" + p.getKey(), undescribed);
    });
    if (node.has("items")) {
      describedWalk(node.get("items"), path + "[]", undescribed);
    }
  }

  private void walk(JsonNode node, String path, List<String> open) {
    if (node.has("properties")) {
      if (!node.path("additionalProperties").isBoolean() || node.get("additionalProperties").asBoolean()) {
        open.add(path.isEmpty() ? "/" : path);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.get("properties").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        walk(p.getValue(), path + "/" + p.getKey(), open);
      }
    }
    if (node.has("definitions")) {
      node.get("definitions").fields().forEachRemaining(d -> walk(d.getValue(), "#/definitions/" + d.getKey(), open));
    }
    if (node.has("items")) {
      walk(node.get("items"), path + "[]", open);
    }
  }

  private void compareKeys(JsonNode values, JsonNode schemaNode, JsonNode root, String path, List<String> missing) {
    JsonNode s = resolve(schemaNode, root);
    JsonNode properties = s.path("properties");
    properties.fields().forEachRemaining(p -> {
      String key = p.getKey();
      if (path.isEmpty() && key.equals("global")) {
        return; // Helm's own, set by parent charts
      }
      if (!values.has(key)) {
        missing.add(path + "/" + key);
      } else if (values.get(key).isObject() && resolve(p.getValue(), root).has("properties")
          && !OPTIONAL_INSIDE.contains(key)) {
        compareKeys(values.get(key), p.getValue(), root, path + "/" + key, missing);
      }
    });
  }

  private static JsonNode resolve(JsonNode node, JsonNode root) {
    if (node.has("$ref")) {
      String name = node.get("$ref").asText().substring("#/definitions/".length());
      return root.path("definitions").path(name);
    }
    return node;
  }
}
