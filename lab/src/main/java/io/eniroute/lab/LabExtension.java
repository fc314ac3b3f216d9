package io.eniroute.lab;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The lab's lifecycle for JUnit, in one place: {@code @ExtendWith(LabExtension.class)} applies
 * the skip rule of {@link NetnsRequired} (skip when not root, fail under CI=true) and hands a
 * {@link Lab} to any parameter of that type. Asked for in a {@code @BeforeAll} method, the lab is
 * the class's (one for all its tests, and the one its test methods get too); otherwise, asked
 * for in a constructor, {@code @BeforeEach} or test method, it is that test's. Either way it is
 * deleted when its scope ends, also when a test failed ({@code LabExtensionTest}).
 */
public final class LabExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LabExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    new NetnsRequired().beforeAll(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Lab.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NS).getOrComputeIfAbsent("lab", key -> new Closing(Lab.create()), Closing.class).lab();
  }

  /** Closed by JUnit when the scope of the store ends (the class, or the test). */
  private record Closing(Lab lab) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      lab.close();
    }
  }
}
