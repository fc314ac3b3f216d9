package io.eniroute.helm;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One thing a component may do: a verb on a resource of an API group. Written as a line
 * {@code component verb group resource}, with {@code core} for the legacy "" group.
 */
record Permission(String component, String verb, String group, String resource) {
  static final String CORE = "core";
  private static final Set<String> VERBS =
      Set.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");

  Permission {
    if (!VERBS.contains(verb)) {
      throw new IllegalArgumentException("unknown verb '" + verb + "' (one of " + VERBS + ")");
    }
    group = group.isEmpty() ? CORE : group;
  }

  /** Parses {@code component verb group resource}; returns null for blank and # lines. */
  static Permission parse(String line) {
    String trimmed = line.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
      return null;
    }
    List<String> f = List.of(trimmed.split("\\s+"));
    if (f.size() != 4) {
      throw new IllegalArgumentException(
          "expected 'component verb group resource' (group 'core' for the \"\" group), got: " + line);
    }
    return new Permission(f.get(0), f.get(1).toLowerCase(Locale.ROOT), f.get(2), f.get(3));
  }

  @Override
  public String toString() {
    return component + " " + verb + " " + group + " " + resource;
  }
}
