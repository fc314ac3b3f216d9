package io.eniroute.agent.cli;

import io.eniroute.agent.engine.RoutingEngine;
import io.eniroute.agent.engine.StateStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the commands act: which network namespace, and where eniroute keeps its ownership state. */
public final class TargetOptions {
  @Option(names = "--netns", paramLabel = "NAME",
      description = "Act inside this named network namespace (ip -n NAME); default: the host's own.")
  String netns;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where eniroute records what it removed/added so revert can restore it (default: ${DEFAULT-VALUE}).")
  Path stateDir = StateStore.DEFAULT_DIR;

  public String netns() {
    return netns;
  }

  public Path stateDir() {
    return stateDir;
  }

  /** The engine for this target. */
  public RoutingEngine engine() {
    return RoutingEngine.create(netns, stateDir);
  }
}
