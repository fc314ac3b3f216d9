package io.eniroute.agent.cli;

import io.eniroute.agent.routing.ApplyReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Show what eniroute owns here; changes nothing.")
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TargetOptions target;

  @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT", description = "text or json.")
  Output.Format format;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ApplyReport r = target.engine().status();
    if (!r.ok()) {
      return Output.failure(spec.commandLine().getErr(), r);
    }
    if (format == Output.Format.json) {
      Output.json(out, r);
    } else {
      out.println(r.message());
      Output.interfaces(out, r);
      out.flush();
    }
    return 0;
  }
}
