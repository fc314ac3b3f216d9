package io.eniroute.helm;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/** A named set of values the chart must render: the defaults or a values-*.yaml test resource. */
enum ValueSet {
  DEFAULTS(null),
  AWS_IRSA("values-aws-irsa.yaml"),
  METRICS("values-metrics.yaml"),
  CUSTOM_PLACEMENT("values-custom-placement.yaml"),
  EVERY_FLAG("values-every-flag.yaml");

  private final String resource;

  ValueSet(String resource) {
    this.resource = resource;
  }

  /** Values files to pass to helm (none for the defaults). */
  Path[] files() {
    return resource == null ? new Path[0] : new Path[] {resourcePath(resource)};
  }

  static Path resourcePath(String name) {
    try {
      return Path.of(Objects.requireNonNull(ValueSet.class.getResource("/" + name), name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
