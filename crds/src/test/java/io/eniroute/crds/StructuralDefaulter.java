package io.eniroute.crds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Applies a structural schema's {@code default}s the way the API server does before validation:
 * a null in a non-nullable field is dropped (then defaulted if it has a default), an absent
 * property with a default gets a copy of it, and defaulting recurses into every present value,
 * the freshly defaulted ones included. Parents are never created: a default on
 * {@code spec.routing.priorityBase} only applies when {@code spec.routing} is there. This matters
 * because CEL rules run after defaulting and read the defaulted fields.
 */
public final class StructuralDefaulter {

  /** Returns a defaulted copy; the input is left alone. */
  public JsonNode apply(JsonNode document, JsonNode schema) {
    JsonNode copy = document.deepCopy();
    walk(copy, schema);
    return copy;
  }

  private void walk(JsonNode value, JsonNode schema) {
    if (value instanceof ObjectNode object) {
      JsonNode properties = schema.path("properties");
      properties.fields().forEachRemaining(p -> defaultProperty(object, p.getKey(), p.getValue()));
      List<Map.Entry<String, JsonNode>> present = new ArrayList<>();
      object.fields().forEachRemaining(present::add);
      for (Map.Entry<String, JsonNode> field : present) {
        JsonNode propertySchema = properties.get(field.getKey());
        if (propertySchema != null) {
          walk(field.getValue(), propertySchema);
        } else if (schema.path("additionalProperties").isObject()) {
          walk(field.getValue(), schema.get("additionalProperties"));
        }
      }
    } else if (value instanceof ArrayNode array && schema.has("items")) {
      for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
        walk(it.next(), schema.get("items"));
      }
    }
  }

  private static void defaultProperty(ObjectNode object, String name, JsonNode propertySchema) {
    JsonNode current = object.get(name);
    boolean nullable = propertySchema.path("nullable").asBoolean(false);
    if (current != null && current.isNull() && !nullable) {
      object.remove(name);
      current = null;
    }
    if (current == null && propertySchema.has("default")) {
      object.set(name, propertySchema.get("default").deepCopy());
    }
  }
}
