package io.eniroute.helm;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Walks a typed model object and lists every non-empty {@code additionalProperties} map: the
 * place fabric8 hides fields it does not know. A second line behind {@link StrictManifestReader},
 * for values that reach the model another way (builders, custom deserializers).
 */
final class AdditionalPropertiesScanner {
  private static final List<String> MODEL_PACKAGES = List.of("io.fabric8.", "io.eniroute.crds.");

  /** "path: {unknown fields}" for every object that carries fields outside the model. */
  List<String> scan(Object root) {
    List<String> found = new ArrayList<>();
    walk(root, "", found, 0);
    return found;
  }

  private void walk(Object value, String path, List<String> found, int depth) {
    if (value == null || depth > 64) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", found, depth + 1);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "[" + k + "]", found, depth + 1));
      return;
    }
    if (!isModel(value.getClass())) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (!isGetter(getter)) {
        continue;
      }
      Object child = invoke(getter, value);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          found.add((path.isEmpty() ? "." : path) + ": " + extra);
        }
        continue;
      }
      walk(child, path + "." + propertyName(getter), found, depth + 1);
    }
  }

  private static boolean isModel(Class<?> type) {
    return !type.isEnum() && MODEL_PACKAGES.stream().anyMatch(p -> type.getName().startsWith(p));
  }

  private static boolean isGetter(Method m) {
    return m.getParameterCount() == 0
        && !Modifier.isStatic(m.getModifiers())
        && m.getName().startsWith("get")
        && !m.getName().equals("getClass")
        && m.getReturnType() != void.class;
  }

  private static String propertyName(Method getter) {
    String n = getter.getName().substring(3);
    return n.isEmpty() ? n : Character.toLowerCase(n.charAt(0)) + n.substring(1);
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      return null; // a computed getter that does not apply to this object holds no data
    }
  }
}
