package io.eniroute.agent.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads the agent's config file: a NodeNetworkConfig YAML document (its {@code spec} is used) or
 * a bare spec. Unknown fields are errors that name the field, so a typo never silently does nothing.
 */
public final class ConfigFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ConfigFile() {}

  /** The file cannot be read or is not a valid config. */
  public static final class ConfigException extends RuntimeException {
    ConfigException(String message) {
      super(message);
    }
  }

  public static NodeNetworkConfigSpec load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  /** Reads a whole config from a stream (stdin for {@code -f -}); {@code source} names it in errors. */
  public static NodeNetworkConfigSpec read(InputStream in, String source) {
    try {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
    } catch (IOException e) {
      throw new ConfigException(source + ": cannot read: " + e.getMessage());
    }
  }

  /** Parses a config document; {@code source} (a file name, "stdin") starts every error message. */
  public static NodeNetworkConfigSpec parse(String text, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(source + ": empty, or not a YAML mapping; expected a NodeNetworkConfig or its spec");
    }
    boolean wrapped = root.has("kind") || root.has("apiVersion") || root.has("spec");
    if (wrapped && root.has("kind") && !"NodeNetworkConfig".equals(root.get("kind").asText())) {
      throw new ConfigException(source + ": kind is " + root.get("kind").asText() + "; expected NodeNetworkConfig");
    }
    JsonNode spec = wrapped ? root.path("spec") : root;
    if (spec.isMissingNode() || spec.isNull()) {
      throw new ConfigException(source + ": the NodeNetworkConfig has no spec");
    }
    try {
      NodeNetworkConfigSpec s = YAML.treeToValue(spec, NodeNetworkConfigSpec.class);
      return s == null ? new NodeNetworkConfigSpec() : s;
    } catch (JsonMappingException e) {
      String path = e.getPath().stream()
          .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining());
      throw new ConfigException(source + ": spec" + path + ": " + e.getOriginalMessage().split("\n")[0]);
    } catch (IOException e) {
      throw new ConfigException(source + ": " + e.getMessage());
    }
  }
}
