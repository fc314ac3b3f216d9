package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Schema only (via {@code @SchemaFrom}): the shape of fabric8's {@code Condition}, which the code
 * uses, with descriptions for {@code kubectl explain}; fabric8's model class carries none.
 */
public final class ConditionSchema {
  @JsonProperty
  @JsonPropertyDescription("The condition's name, e.g. Ready.")
  private String type;

  @JsonProperty
  @JsonPropertyDescription("True, False or Unknown.")
  private String status;

  @JsonProperty
  @JsonPropertyDescription("Why the condition has this status, as one CamelCase word (stable: alerts and scripts may match on it).")
  private String reason;

  @JsonProperty
  @JsonPropertyDescription("A sentence for people: what happened and, when something is wrong, what to do.")
  private String message;

  @JsonProperty
  @JsonPropertyDescription("When status last changed (RFC 3339); a condition that is rewritten with the same status keeps its time.")
  private String lastTransitionTime;

  @JsonProperty
  @JsonPropertyDescription("The metadata.generation the condition was computed for; older than metadata.generation means stale.")
  private Long observedGeneration;

  private ConditionSchema() {}
}
