package io.eniroute.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads permission lists: the checked-in required list, and files recorded by the operator and
 * agent tests. A recorded line is either {@code component verb group resource} or the raw
 * request {@code component METHOD /path?query} (converted by {@link ApiRequest}).
 */
final class PermissionFiles {
  private PermissionFiles() {}

  static Set<Permission> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Set<Permission> result = new LinkedHashSet<>();
    int n = 0;
    for (String line : lines) {
      n++;
      try {
        Permission p = parseLine(line);
        if (p != null) {
          result.add(p);
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ":" + n + ": " + e.getMessage(), e);
      }
    }
    return result;
  }

  static Permission parseLine(String line) {
    String[] f = line.strip().split("\\s+");
    if (f.length == 3 && f[2].startsWith("/")) {
      return ApiRequest.permission(f[0], f[1], f[2]);
    }
    return Permission.parse(line);
  }
}
