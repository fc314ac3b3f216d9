package io.eniroute.agent.cli;

import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The config file and output format options shared by the commands that read a config. */
public final class ConfigOptions {
  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
      description = "NodeNetworkConfig YAML (or its bare spec).")
  Path file;

  @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT", description = "text or json.")
  Output.Format format;

  NodeNetworkConfigSpec load() {
    return ConfigFile.load(file);
  }

  boolean json() {
    return format == Output.Format.json;
  }
}
