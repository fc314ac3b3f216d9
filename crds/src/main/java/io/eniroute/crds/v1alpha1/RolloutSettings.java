package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** How a new policy generation reaches the nodes: a canary, then waves. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "type(self.maxUnavailable) == int ? self.maxUnavailable > 0 : self.maxUnavailable.matches('^(100|[1-9][0-9]?)%$')",
    message = "maxUnavailable must be a positive integer or a percentage from 1% to 100% (0 and 0% would never update a node)",
    fieldPath = ".maxUnavailable")
public class RolloutSettings {
  @JsonPropertyDescription(
      "Nodes that may be updating or failed at once: an integer or a percentage of the selected nodes (rounded up). Default 1.")
  @Default("1")
  private IntOrString maxUnavailable = new IntOrString(1);

  @JsonPropertyDescription("Failed nodes tolerated before the rollout halts. Default 0: halt at the first failure.")
  @Min(0)
  @Default("0")
  private Integer maxFailures = 0;

  @JsonPropertyDescription(
      "A node whose agent has not reported the new generation after this many seconds counts as failed. Default 300.")
  @Min(10)
  @Max(86400)
  @Default("300")
  private Integer nodeTimeoutSeconds = 300;

  public IntOrString getMaxUnavailable() { return maxUnavailable; }
  public void setMaxUnavailable(IntOrString maxUnavailable) { this.maxUnavailable = maxUnavailable; }
  public Integer getMaxFailures() { return maxFailures; }
  public void setMaxFailures(Integer maxFailures) { this.maxFailures = maxFailures; }
  public Integer getNodeTimeoutSeconds() { return nodeTimeoutSeconds; }
  public void setNodeTimeoutSeconds(Integer nodeTimeoutSeconds) { this.nodeTimeoutSeconds = nodeTimeoutSeconds; }
}
