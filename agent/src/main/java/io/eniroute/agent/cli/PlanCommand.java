package io.eniroute.agent.cli;

import io.eniroute.agent.engine.Op;
import io.eniroute.agent.engine.PlanResult;
import io.eniroute.agent.engine.RoutingEngine;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "plan", description = {"Print the exact commands apply would run; changes nothing.",
    "The config comes from -f FILE, -f - (stdin), or without -f from the API server: the",
    "NodeNetworkConfig of --node (default $NODE_NAME, so it works as is in the agent pod)."})
public final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TargetOptions target;

  @Mixin ConfigOptions config;

  @Mixin NodeConfigSource nodeConfig;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // -f wins; without it the node's own NodeNetworkConfig from the API server (kubectl exec into the agent pod)
    var desired = config.given() ? config.load() : nodeConfig.load();
    String source = config.given() ? config.source() : "NodeNetworkConfig " + nodeConfig.nodeName();
    RoutingEngine engine = target.engine();
    PlanResult p = engine.plan(desired);
    String prefix = engine.kernel().ipPrefix();
    String ns = engine.kernel().netns();
    if (config.json()) {
      List<Map<String, String>> ops = new ArrayList<>();
      for (Op o : p.ops()) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kind", o.kind().name());
        m.put("command", o.display(prefix, ns));
        m.put("undo", o.inverted().display(prefix, ns));
        ops.add(m);
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("ok", p.ok());
      if (!p.ok()) {
        doc.put("reason", p.reason());
        doc.put("message", p.message());
      }
      doc.put("operations", ops);
      doc.put("interfaces", p.interfaces());
      Output.json(out, doc);
    } else if (p.ok()) {
      if (p.ops().isEmpty()) {
        out.println("# nothing to do: the kernel already matches " + source);
      }
      for (Op o : p.ops()) {
        out.println(o.display(prefix, ns));
      }
      out.flush();
    }
    if (!p.ok()) {
      err.println("eniroute-agent: " + p.reason() + ": " + p.message());
      return 1;
    }
    return 0;
  }

}
