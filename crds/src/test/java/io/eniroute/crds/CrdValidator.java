package io.eniroute.crds;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the API server would say to {@code kubectl apply} of one document, for one generated CRD:
 * the resource identity is checked, defaults are applied, the document is validated against the
 * openAPIV3Schema, and, only when that passed (the API server does not run rules on values of the
 * wrong type), every CEL rule is evaluated. An empty list means accepted.
 */
public final class CrdValidator {
  private final GeneratedCrd crd;
  private final StructuralDefaulter defaulter = new StructuralDefaulter();
  private final JsonSchemaCheck schemaCheck;
  private final CelRuleCheck celCheck;

  public CrdValidator(GeneratedCrd crd) {
    this.crd = crd;
    this.schemaCheck = new JsonSchemaCheck(crd.schema());
    this.celCheck = new CelRuleCheck(crd.schema());
  }

  public GeneratedCrd crd() {
    return crd;
  }

  public int ruleCount() {
    return celCheck.ruleCount();
  }

  public List<Violation> validate(String yaml) {
    try {
      return validate(GeneratedCrd.YAML.readTree(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<Violation> validate(JsonNode document) {
    List<Violation> identity = new ArrayList<>();
    expect(identity, document, "apiVersion", crd.apiVersion());
    expect(identity, document, "kind", crd.kind());
    JsonNode metadata = document.path("metadata");
    if (metadata.path("name").asText("").isEmpty() && metadata.path("generateName").asText("").isEmpty()) {
      identity.add(new Violation("metadata.name", "Required value: name or generateName is required"));
    }
    if (!identity.isEmpty()) {
      return identity;
    }
    JsonNode defaulted = defaulted(document);
    List<Violation> schemaViolations = schemaCheck.check(defaulted);
    return schemaViolations.isEmpty() ? celCheck.check(defaulted) : schemaViolations;
  }

  /** The document as the API server would store it (defaults filled in). */
  public JsonNode defaulted(JsonNode document) {
    return defaulter.apply(document, crd.schema());
  }

  private static void expect(List<Violation> out, JsonNode document, String field, String wanted) {
    String actual = document.path(field).asText("");
    if (!wanted.equals(actual)) {
      out.add(new Violation(field, "must be " + wanted + ", was '" + actual + "'"));
    }
  }
}
