package io.eniroute.crds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The openAPIV3Schema part of the API server's validation, done by networknt. The Kubernetes
 * structural schema is turned into plain JSON Schema (draft 4, which OpenAPI 3.0 schemas follow):
 * {@code x-kubernetes-int-or-string} becomes {@code anyOf: [integer, string]}, other
 * {@code x-kubernetes-*} keywords are dropped (CEL rules are {@link CelRuleCheck}'s job),
 * {@code nullable} becomes a null type, and objects with declared properties reject unknown
 * fields, as {@code kubectl apply} does with its default strict field validation. The root gets
 * the implicit {@code apiVersion}, {@code kind} and {@code metadata} every resource has.
 */
public final class JsonSchemaCheck {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonSchema schema;

  public JsonSchemaCheck(JsonNode structuralSchema) {
    ObjectNode converted = convert(structuralSchema);
    ObjectNode properties = converted.withObject("properties");
    properties.putObject("apiVersion").put("type", "string");
    properties.putObject("kind").put("type", "string");
    properties.putObject("metadata").put("type", "object");
    converted.put("additionalProperties", false);
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.LEGACY).build();
    this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(converted, config);
  }

  /** Violations sorted by field, empty when the document fits the schema. */
  public List<Violation> check(JsonNode document) {
    return schema.validate(document).stream()
        .map(JsonSchemaCheck::toViolation)
        .sorted(Comparator.comparing(Violation::field).thenComparing(Violation::message))
        .toList();
  }

  private static Violation toViolation(ValidationMessage m) {
    String field = fieldPath(m.getInstanceLocation());
    // required / unknown-field messages are about a child the location does not name yet
    if (m.getProperty() != null && ("required".equals(m.getType()) || "additionalProperties".equals(m.getType()))) {
      field = field.isEmpty() ? m.getProperty() : field + "." + m.getProperty();
    }
    return new Violation(field, m.getError());
  }

  /** $.spec.addresses[1].mac -> spec.addresses[1].mac, the API server's notation. */
  static String fieldPath(JsonNodePath path) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      if (element instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(element);
      }
    }
    return out.toString();
  }

  private static ObjectNode convert(JsonNode structural) {
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) structural::fields) {
      String key = e.getKey();
      JsonNode value = e.getValue();
      switch (key) {
        case "properties" -> {
          ObjectNode props = out.putObject("properties");
          value.fields().forEachRemaining(p -> props.set(p.getKey(), convert(p.getValue())));
        }
        case "items" -> out.set("items", convert(value));
        case "additionalProperties" -> out.set("additionalProperties", value.isObject() ? convert(value) : value);
        case "anyOf", "allOf", "oneOf" -> {
          ArrayNode list = out.putArray(key);
          value.forEach(v -> list.add(convert(v)));
        }
        case "not" -> out.set("not", convert(value));
        case "nullable" -> { } // handled below
        default -> {
          if (!key.startsWith("x-kubernetes-")) {
            out.set(key, value.deepCopy());
          }
        }
      }
    }
    if (structural.path("x-kubernetes-int-or-string").asBoolean(false)) {
      out.remove("type");
      ArrayNode anyOf = out.putArray("anyOf");
      anyOf.addObject().put("type", "integer");
      anyOf.addObject().put("type", "string");
    }
    if (structural.path("nullable").asBoolean(false) && out.has("type")) {
      ArrayNode types = NODES.arrayNode().add(out.get("type").asText()).add("null");
      out.set("type", types);
    }
    boolean keepsUnknown = structural.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (structural.has("properties") && !structural.has("additionalProperties") && !keepsUnknown) {
      out.put("additionalProperties", false);
    }
    return out;
  }
}
