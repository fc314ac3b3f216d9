package io.eniroute.operator.rollout;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Kubernetes label-selector semantics (matchLabels AND every matchExpression). */
public final class LabelSelectors {
  private LabelSelectors() {}

  /** A person-readable problem with the selector, naming the field, or empty when it is valid. */
  public static Optional<String> problem(LabelSelector selector) {
    if (selector == null || selector.getMatchExpressions() == null) {
      return Optional.empty();
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
    for (int i = 0; i < expressions.size(); i++) {
      LabelSelectorRequirement r = expressions.get(i);
      String field = "spec.nodeSelector.matchExpressions[" + i + "]";
      if (r.getKey() == null || r.getKey().isBlank()) {
        return Optional.of(field + ".key is empty; name the node label to test");
      }
      String op = r.getOperator();
      boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
      if ("In".equals(op) || "NotIn".equals(op)) {
        if (!hasValues) {
          return Optional.of(field + ".values is empty; operator " + op + " needs at least one value");
        }
      } else if ("Exists".equals(op) || "DoesNotExist".equals(op)) {
        if (hasValues) {
          return Optional.of(field + ".values must be empty for operator " + op);
        }
      } else {
        return Optional.of(field + ".operator '" + op + "' is unknown; use In, NotIn, Exists or DoesNotExist");
      }
    }
    return Optional.empty();
  }

  /** True when {@code labels} satisfy {@code selector}; an empty or missing selector matches everything. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(have.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!matches(r, have)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> labels.containsKey(r.getKey());
      case "DoesNotExist" -> !labels.containsKey(r.getKey());
      default -> false;
    };
  }
}
