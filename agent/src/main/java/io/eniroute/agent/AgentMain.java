package io.eniroute.agent;

import io.eniroute.agent.cli.ApplyCommand;
import io.eniroute.agent.cli.CliFactory;
import io.eniroute.agent.cli.ConfigFile;
import io.eniroute.agent.cli.PlanCommand;
import io.eniroute.agent.cli.RevertCommand;
import io.eniroute.agent.cli.StatusCommand;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code eniroute-agent}. A subcommand is a picocli class listed in
 * {@code subcommands} below: adding one is a one-line change.
 */
@Command(name = "eniroute-agent", mixinStandardHelpOptions = true, version = "eniroute-agent 0.2.0",
    description = "Per-interface policy routing for hosts with several NICs on one subnet.",
    subcommands = {
        PlanCommand.class,
        ApplyCommand.class,
        RevertCommand.class,
        StatusCommand.class,
        io.eniroute.agent.cli.RunCommand.class,
        io.eniroute.agent.cluster.ClusterCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class AgentMain implements Runnable {
  @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: plan, apply, revert, status");
  }

  /** The command line, with errors (bad file, kernel failure) turned into one line and exit code 1. */
  public static CommandLine commandLine() {
    return commandLine(new CliFactory(System.in, () -> new KubernetesClientBuilder().build(), System.getenv()));
  }

  /** The command line with its outside inputs (stdin, API client, environment) given; tests use it. */
  public static CommandLine commandLine(CommandLine.IFactory factory) {
    CommandLine cl = new CommandLine(new AgentMain(), factory);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      String msg = ex instanceof ConfigFile.ConfigException || ex instanceof RuntimeException && ex.getMessage() != null
          ? ex.getMessage() : ex.toString();
      cmd.getErr().println("eniroute-agent: " + msg);
      cmd.getErr().flush();
      return 1;
    });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
