package io.eniroute.crds;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A validator per generated CRD, picked by the document's kind. */
final class CrdValidators {
  private final Map<String, CrdValidator> byKind;

  CrdValidators() {
    this.byKind = GeneratedCrd.loadAll().stream()
        .map(CrdValidator::new)
        .collect(Collectors.toMap(v -> v.crd().kind(), Function.identity()));
  }

  CrdValidator forKind(String kind) {
    CrdValidator validator = byKind.get(kind);
    if (validator == null) {
      throw new IllegalArgumentException("no generated CRD for kind '" + kind + "'; known: " + byKind.keySet());
    }
    return validator;
  }

  List<Violation> validate(String yaml) {
    JsonNode document = parse(yaml);
    return forKind(document.path("kind").asText()).validate(document);
  }

  static JsonNode parse(String yaml) {
    try {
      return GeneratedCrd.YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
