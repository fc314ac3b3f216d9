package io.eniroute.helm;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link Charts}: helm located once and each value set rendered once per test run
 * (kept in JUnit's root store), so the suite runs a handful of helm processes, not one per test.
 */
final class RenderedCharts implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RenderedCharts.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Charts.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NS).getOrComputeIfAbsent(Charts.class, k -> new Charts(Helm.locate()), Charts.class);
  }

  /** Renders of the chart, one per value set; treat the objects as read-only. */
  static final class Charts {
    private final Helm helm;
    private final Map<ValueSet, Manifests> renders = new EnumMap<>(ValueSet.class);

    Charts(Helm helm) {
      this.helm = helm;
    }

    Helm helm() {
      return helm;
    }

    synchronized Manifests of(ValueSet values) {
      return renders.computeIfAbsent(values, v -> Manifests.render(helm, v));
    }
  }
}
