package io.eniroute.agent.cli;

import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.io.InputStream;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The config and output format options shared by the commands that read a config. {@code -f -}
 * reads the document from stdin, so {@code kubectl get nnc NODE -o yaml | kubectl exec -i ...
 * -- eniroute-agent plan -f -} works in a pod whose filesystem is read-only.
 */
public final class ConfigOptions {
  static final String STDIN = "-";

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE",
      description = "NodeNetworkConfig YAML (or its bare spec); - reads it from stdin.")
  String file;

  @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT", description = "text or json.")
  Output.Format format;

  private final InputStream stdin;

  ConfigOptions(InputStream stdin) {
    this.stdin = stdin;
  }

  boolean given() {
    return file != null;
  }

  /** The config from -f; a usage error (exit 2) naming -f when it is missing. */
  NodeNetworkConfigSpec load() {
    if (file == null) {
      throw new ParameterException(mixee.commandLine(), "Missing required option: '--file=FILE' (a file, or - for stdin)");
    }
    return STDIN.equals(file) ? ConfigFile.read(stdin, "stdin") : ConfigFile.load(Path.of(file));
  }

  /** Where the config came from, for messages. */
  String source() {
    return STDIN.equals(file) ? "stdin" : file;
  }

  boolean json() {
    return format == Output.Format.json;
  }
}
