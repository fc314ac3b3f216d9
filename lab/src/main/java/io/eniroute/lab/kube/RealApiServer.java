package io.eniroute.lab.kube;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: {@code @ExtendWith(RealApiServer.class)} gives a test class the suite's one
 * {@link ControlPlane} as a parameter (constructor, {@code @BeforeAll} or test method). The first
 * class that asks starts it; it is stopped when the test run ends (JUnit closes AutoCloseable
 * values of the root store), so a module's test classes share one server.
 *
 * <p>There is no skip: the binaries come from bin/install-control-plane, which bin/test runs, and a
 * missing server fails the class with the sentence saying how to get it.
 */
public final class RealApiServer implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RealApiServer.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ControlPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  /** The suite's control plane, started on first use. */
  public static ControlPlane shared(ExtensionContext context) {
    return context.getRoot().getStore(NS).getOrComputeIfAbsent(ControlPlane.class, k -> ControlPlane.start(), ControlPlane.class);
  }
}
