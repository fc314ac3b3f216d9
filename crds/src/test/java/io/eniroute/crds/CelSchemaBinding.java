package io.eniroute.crds;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a structural schema to CEL as the API server does: an object with properties is a typed
 * structure (so a rule naming a field that does not exist fails to compile, like at CRD
 * registration), an object with additionalProperties is {@code map(string, T)}, an array is
 * {@code list(T)}, integer/number/string/boolean are int/double/string/bool, and
 * {@code x-kubernetes-int-or-string} (or anything untyped) is {@code dyn}, so
 * {@code type(self.maxUnavailable) == int} decides at run time. Values are handed to the runtime
 * as plain maps, lists, Long, Double, String and Boolean, which cel-java selects on by key.
 */
public final class CelSchemaBinding implements CelTypeProvider {
  private final Map<String, StructType> structs = new LinkedHashMap<>();

  /** The CEL type of a value at {@code path} with this schema; registers its struct types. */
  public CelType typeOf(JsonNode schema, String path) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return SimpleType.DYN;
    }
    switch (schema.path("type").asText("")) {
      case "integer":
        return SimpleType.INT;
      case "number":
        return SimpleType.DOUBLE;
      case "string":
        return SimpleType.STRING;
      case "boolean":
        return SimpleType.BOOL;
      case "array":
        return ListType.create(typeOf(schema.path("items"), path + "[]"));
      case "object":
        if (schema.has("properties")) {
          return struct(schema, path);
        }
        if (schema.path("additionalProperties").isObject()) {
          return MapType.create(SimpleType.STRING, typeOf(schema.get("additionalProperties"), path + "{}"));
        }
        return MapType.create(SimpleType.STRING, SimpleType.DYN);
      default:
        return SimpleType.DYN;
    }
  }

  private StructType struct(JsonNode schema, String path) {
    String name = "eniroute.schema." + path.replaceAll("[^A-Za-z0-9]+", "_");
    StructType existing = structs.get(name);
    if (existing != null) {
      return existing;
    }
    Map<String, CelType> fields = new LinkedHashMap<>();
    StructType type = StructType.create(name, ImmutableSet.copyOf(schema.get("properties").fieldNames()),
        field -> Optional.ofNullable(fields.get(field)));
    structs.put(name, type);
    schema.get("properties").fields()
        .forEachRemaining(p -> fields.put(p.getKey(), typeOf(p.getValue(), path + "." + p.getKey())));
    return type;
  }

  /** The runtime value of a JSON node, using the schema to tell doubles from ints. */
  public Object valueOf(JsonNode value, JsonNode schema) {
    if (value == null || value.isNull()) {
      return NullValue.NULL_VALUE;
    }
    if (value.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      value.fields().forEachRemaining(f -> map.put(f.getKey(), valueOf(f.getValue(), childSchema(schema, f.getKey()))));
      return map;
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      value.forEach(v -> list.add(valueOf(v, schema.path("items"))));
      return list;
    }
    if (value.isNumber()) {
      return "number".equals(schema.path("type").asText()) || !value.isIntegralNumber()
          ? (Object) value.asDouble() : (Object) value.asLong();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    return value.asText();
  }

  private static JsonNode childSchema(JsonNode schema, String key) {
    JsonNode property = schema.path("properties").get(key);
    return property != null ? property : schema.path("additionalProperties");
  }

  @Override
  public ImmutableCollection<CelType> types() {
    return ImmutableList.copyOf(structs.values());
  }

  @Override
  public Optional<CelType> findType(String typeName) {
    return Optional.ofNullable(structs.get(typeName));
  }
}
