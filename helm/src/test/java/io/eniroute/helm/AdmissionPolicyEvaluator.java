package io.eniroute.helm;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Variable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a ValidatingAdmissionPolicy's CEL (match conditions, variables, validations and their
 * messages) over an admission request given as plain maps, the order the API server uses.
 * Covers what the chart's policy uses: {@code request} and {@code variables}, no params.
 */
final class AdmissionPolicyEvaluator {
  private final ValidatingAdmissionPolicy policy;
  private final Cel cel = CelFactory.standardCelBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("request", SimpleType.DYN)
      .addVar("variables", SimpleType.DYN)
      .build();

  AdmissionPolicyEvaluator(ValidatingAdmissionPolicy policy) {
    this.policy = policy;
  }

  /** Empty when the request is admitted (or the policy does not apply); else the denial message. */
  Optional<String> evaluate(Map<String, Object> request) {
    Map<String, Object> variables = new LinkedHashMap<>();
    Map<String, Object> input = Map.of("request", request, "variables", variables);
    for (MatchCondition c : policy.getSpec().getMatchConditions()) {
      if (!Boolean.TRUE.equals(eval(c.getExpression(), input))) {
        return Optional.empty();
      }
    }
    for (Variable v : policy.getSpec().getVariables()) {
      variables.put(v.getName(), eval(v.getExpression(), input));
    }
    for (Validation v : policy.getSpec().getValidations()) {
      if (!Boolean.TRUE.equals(eval(v.getExpression(), input))) {
        return Optional.of(v.getMessageExpression() != null
            ? String.valueOf(eval(v.getMessageExpression(), input))
            : v.getMessage());
      }
    }
    return Optional.empty();
  }

  private Object eval(String expression, Map<String, Object> input) {
    try {
      return cel.createProgram(cel.compile(expression).getAst()).eval(input);
    } catch (CelValidationException e) {
      throw new AssertionError("does not compile: " + expression + "\n" + e.getMessage(), e);
    } catch (CelEvaluationException e) {
      throw new AssertionError("fails to evaluate: " + expression + "\n" + e.getMessage(), e);
    }
  }
}
