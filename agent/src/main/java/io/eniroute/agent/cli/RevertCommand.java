package io.eniroute.agent.cli;

import io.eniroute.agent.routing.ApplyReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "revert", description = "Remove every rule and route eniroute owns and restore what it changed.")
public final class RevertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TargetOptions target;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ApplyReport r = target.engine().revert();
    if (r.ok()) {
      out.printf("%s: %d kernel write(s) in %d ms. %s%n", r.outcome(), r.kernelWrites(), r.durationMillis(), r.message());
      out.flush();
      return 0;
    }
    return Output.failure(spec.commandLine().getErr(), r);
  }
}
