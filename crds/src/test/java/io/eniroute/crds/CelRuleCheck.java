package io.eniroute.crds;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code x-kubernetes-validations} part of the API server's validation, done by cel-java.
 * Every rule is compiled when the check is built (a rule that does not compile or does not
 * return bool fails here, as the API server would refuse the CRD), with {@code self} typed from
 * the schema node the rule sits on. Checking a document walks it with the schema and evaluates
 * each rule wherever its node is present, with {@code self} = that node's value: objects, list
 * items and map values alike. Give it a defaulted document that passed the schema check.
 */
public final class CelRuleCheck {
  private record CompiledRule(String rule, String message, String fieldPath, CelRuntime.Program program) {}

  private final CelSchemaBinding binding = new CelSchemaBinding();
  private final Map<JsonNode, List<CompiledRule>> rulesBySchemaNode = new IdentityHashMap<>();
  private final JsonNode schema;

  public CelRuleCheck(JsonNode structuralSchema) {
    this.schema = structuralSchema;
    compileAll(structuralSchema, "");
  }

  /** How many rules compiled (all of them, or the constructor threw). */
  public int ruleCount() {
    return rulesBySchemaNode.values().stream().mapToInt(List::size).sum();
  }

  public List<Violation> check(JsonNode document) {
    List<Violation> violations = new ArrayList<>();
    walk(document, schema, "", violations);
    return violations;
  }

  private void compileAll(JsonNode node, String path) {
    JsonNode rules = node.path("x-kubernetes-validations");
    if (rules.size() > 0) {
      Cel cel = CelFactory.standardCelBuilder()
          .setOptions(CelOptions.current().build())
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addCompilerLibraries(CelExtensions.strings())
          .addRuntimeLibraries(CelExtensions.strings())
          .setTypeProvider(binding)
          .addVar("self", binding.typeOf(node, path))
          .setResultType(SimpleType.BOOL)
          .build();
      List<CompiledRule> compiled = new ArrayList<>();
      for (JsonNode rule : rules) {
        compiled.add(compile(cel, rule, node, path));
      }
      rulesBySchemaNode.put(node, compiled);
    }
    node.path("properties").fields().forEachRemaining(p -> compileAll(p.getValue(), join(path, p.getKey())));
    if (node.has("items")) {
      compileAll(node.get("items"), path + "[*]");
    }
    if (node.path("additionalProperties").isObject()) {
      compileAll(node.get("additionalProperties"), path + "[*]");
    }
  }

  private static CompiledRule compile(Cel cel, JsonNode rule, JsonNode node, String path) {
    String expression = rule.path("rule").asText();
    if (rule.has("messageExpression")) {
      throw new IllegalStateException(path + ": messageExpression is not supported by this test harness: " + expression);
    }
    String fieldPath = rule.path("fieldPath").asText("");
    checkFieldPath(node, fieldPath, path);
    try {
      return new CompiledRule(expression, rule.path("message").asText(null), fieldPath,
          cel.createProgram(cel.compile(expression).getAst()));
    } catch (CelValidationException e) {
      throw new IllegalStateException("rule at " + display(path) + " does not compile: " + expression + "\n" + e.getMessage(), e);
    } catch (CelEvaluationException e) {
      throw new IllegalStateException("rule at " + display(path) + " cannot be planned: " + expression, e);
    }
  }

  /** The API server refuses a CRD whose rule's fieldPath names a field the schema lacks. */
  private static void checkFieldPath(JsonNode node, String fieldPath, String path) {
    if (fieldPath.isEmpty()) {
      return;
    }
    JsonNode current = node;
    for (String segment : fieldPath.substring(1).split("\\.", -1)) {
      current = current == null ? null : current.path("properties").get(segment);
      if (!fieldPath.startsWith(".") || current == null) {
        throw new IllegalStateException("rule at " + display(path) + " has fieldPath " + fieldPath + " that is not a field of the schema");
      }
    }
  }

  private void walk(JsonNode value, JsonNode nodeSchema, String path, List<Violation> out) {
    if (value == null || value.isNull() || nodeSchema == null) {
      return;
    }
    for (CompiledRule rule : rulesBySchemaNode.getOrDefault(nodeSchema, List.of())) {
      evaluate(rule, value, nodeSchema, path, out);
    }
    if (value.isObject()) {
      JsonNode properties = nodeSchema.path("properties");
      value.fields().forEachRemaining(f -> {
        JsonNode property = properties.get(f.getKey());
        if (property != null) {
          walk(f.getValue(), property, join(path, f.getKey()), out);
        } else if (nodeSchema.path("additionalProperties").isObject()) {
          walk(f.getValue(), nodeSchema.get("additionalProperties"), path + "[" + f.getKey() + "]", out);
        }
      });
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        walk(value.get(i), nodeSchema.get("items"), path + "[" + i + "]", out);
      }
    }
  }

  private void evaluate(CompiledRule rule, JsonNode value, JsonNode nodeSchema, String path, List<Violation> out) {
    try {
      Object result = rule.program().eval(Map.of("self", binding.valueOf(value, nodeSchema)));
      if (!Boolean.TRUE.equals(result)) {
        String message = rule.message() != null ? rule.message() : "failed rule: " + rule.rule();
        out.add(new Violation(display(path.isEmpty() ? rule.fieldPath().replaceFirst("^\\.", "") : path + rule.fieldPath()), message));
      }
    } catch (CelEvaluationException e) {
      // the API server reports a rule that errors (e.g. no such key) as invalid too
      out.add(new Violation(display(path), "rule evaluation error: " + e.getMessage() + " (rule: " + rule.rule() + ")"));
    }
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String display(String path) {
    return path.isEmpty() ? "<root>" : path;
  }
}
