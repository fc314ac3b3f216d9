package io.eniroute.agent.cli;

import io.eniroute.agent.routing.ApplyReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "apply", description = "Apply the config: one ip -batch, verified; a second run writes nothing.")
public final class ApplyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TargetOptions target;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ApplyReport r = target.engine().reconcile(config.load());
    if (config.json()) {
      Output.json(out, r);
    } else if (r.ok()) {
      out.printf("%s: %d kernel write(s) in %d ms; eniroute owns %d rule(s), %d route(s)%n",
          r.outcome(), r.kernelWrites(), r.durationMillis(), r.ownedRules(), r.ownedRoutes());
      Output.interfaces(out, r);
      out.flush();
    }
    return r.ok() ? 0 : Output.failure(spec.commandLine().getErr(), r);
  }
}
