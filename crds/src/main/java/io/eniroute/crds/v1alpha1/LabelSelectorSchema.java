package io.eniroute.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * Schema only (via {@code @SchemaFrom}): the shape of fabric8's {@code LabelSelector}, which the
 * code uses, with descriptions for {@code kubectl explain}; fabric8's model class carries none.
 */
public final class LabelSelectorSchema {
  @JsonProperty
  @JsonPropertyDescription("Node labels that must all be present with exactly these values, e.g. {eniroute.io/multi-nic: \"true\"}.")
  private Map<String, String> matchLabels;

  @JsonProperty
  @JsonPropertyDescription("Label expressions that must all hold, in addition to matchLabels.")
  private List<Requirement> matchExpressions;

  private LabelSelectorSchema() {}

  /** One label expression. */
  public static final class Requirement {
    @JsonProperty
    @JsonPropertyDescription("The node label the expression tests, e.g. node.kubernetes.io/instance-type.")
    private String key;

    @JsonProperty
    @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
    private String operator;

    @JsonProperty
    @JsonPropertyDescription("Values for In and NotIn; must be empty for Exists and DoesNotExist.")
    private List<String> values;

    private Requirement() {}
  }
}
