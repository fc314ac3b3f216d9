package io.eniroute.crds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One CRD as the build generated it (a fresh generation, not the committed copy): the resource's
 * identity and the single version's openAPIV3Schema.
 */
public record GeneratedCrd(String group, String version, String kind, JsonNode schema) {
  /** Where crd-generator-maven-plugin writes during {@code process-classes}. */
  public static final Path GENERATED_DIR = Path.of("target/classes/META-INF/fabric8");

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public String apiVersion() {
    return group + "/" + version;
  }

  public static GeneratedCrd load(Path file) {
    try {
      JsonNode spec = YAML.readTree(file.toFile()).path("spec");
      JsonNode versions = spec.path("versions");
      if (versions.size() != 1) {
        throw new IllegalStateException(file + ": expected exactly one version, found " + versions.size());
      }
      JsonNode v = versions.get(0);
      return new GeneratedCrd(
          spec.path("group").asText(),
          v.path("name").asText(),
          spec.path("names").path("kind").asText(),
          v.path("schema").path("openAPIV3Schema"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every CRD the build generated; fails when the build has not run (no stale fallback). */
  public static List<GeneratedCrd> loadAll() {
    try (Stream<Path> files = Files.list(GENERATED_DIR)) {
      List<GeneratedCrd> crds = files.filter(p -> p.toString().endsWith(".yml")).sorted().map(GeneratedCrd::load).toList();
      if (crds.isEmpty()) {
        throw new IllegalStateException("no generated CRDs in " + GENERATED_DIR.toAbsolutePath());
      }
      return crds;
    } catch (IOException e) {
      throw new UncheckedIOException("generated CRDs missing in " + GENERATED_DIR.toAbsolutePath() + "; run the build", e);
    }
  }
}
