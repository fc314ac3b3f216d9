package io.eniroute.sandbox;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Step 4: a policy edit with a wrong gateway (10.0.0.254: nobody answers there). The canary node
 * applies it, its probes fail (the gateway no longer answers from the source addresses), it
 * rolls itself back; the operator halts the rollout and the other nodes never get the change.
 * Traffic still flows everywhere. Then the gateway is fixed and the rollout completes.
 */
public final class BadChangeStep implements ScenarioStep {
  static final String WRONG_GATEWAY = "10.0.0.254";

  @Override
  public String title() {
    return "a bad change: canary rolls back, rollout halts; fix it";
  }

  @Override
  public void run(ScenarioContext ctx, StepReport report) {
    Sandbox sb = ctx.sandbox();
    long good = ctx.policy().getMetadata().getGeneration();
    ctx.narrator().say("$ kubectl patch nnp " + Policies.NAME + " --type merge -p '{\"spec\":{\"routing\":{\"gateway\":\""
        + WRONG_GATEWAY + "\"}}}'   (a typo: the gateway is " + Vpc.GATEWAY + ")");
    long bad;
    List<String> handed = new ArrayList<>();
    try (ProgressView view = ctx.progress()) {
      bad = edit(ctx, WRONG_GATEWAY);
      Optional<Duration> halted = Await.until(ctx.rolloutTimeout(), 200, () -> {
        ClusterSnapshot s = ctx.snapshot();
        return Objects.equals(s.policy().observedGeneration(), bad) && "Halted".equals(s.policy().phase())
            && s.nodes().stream().anyMatch(ClusterSnapshot.NodeView::failed);
      });
      report.figure("bad edit → canary rolled back and rollout halted", halted.orElse(ctx.rolloutTimeout()));
      report.check("the rollout halted (policy phase Halted)", halted.isPresent(), ctx.snapshot().line());
      sleep(Duration.ofSeconds(3)); // would the operator go on handing it out? give it the chance
      ClusterSnapshot s = ctx.snapshot();
      s.nodes().stream().filter(n -> Objects.equals(n.wanted(), bad)).forEach(n -> handed.add(n.node()));
      report.check("only the canary got generation " + bad, handed.size() == 1, "handed to " + handed);
      List<String> rolledBack = s.nodes().stream().filter(n -> "RolledBack".equals(n.result())).map(ClusterSnapshot.NodeView::node).toList();
      report.check("the canary rolled itself back", !rolledBack.isEmpty() && handed.containsAll(rolledBack),
          "RolledBack: " + rolledBack + describeProbe(ctx, rolledBack));
      List<String> kept = s.nodes().stream().filter(n -> !handed.contains(n.node()))
          .filter(n -> Objects.equals(n.applied(), good) && "Applied".equals(n.result())).map(ClusterSnapshot.NodeView::node).toList();
      report.check("the other nodes keep generation " + good + ", Applied", kept.size() == sb.nodes().size() - handed.size(),
          "kept: " + kept);
      report.check("policy Degraded condition names the canary", RolloutStep.isTrue(ctx.policy(), Api.DEGRADED)
              && !handed.isEmpty() && message(ctx.policy()).contains(handed.get(0)),
          message(ctx.policy()));
    }
    for (String node : handed) {
      String table = sb.vpc().ip(node, "route", "show", "table", Long.toString(Policies.table(1)));
      report.check(node + ": its eth1 table still routes via " + Vpc.GATEWAY, table.contains("via " + Vpc.GATEWAY + " "),
          table.strip().replace("\n", "; "));
    }
    List<String> unreachable = new ArrayList<>();
    for (SandboxNode n : sb.nodes()) {
      Map<String, Boolean> r = ctx.traffic().probe(ctx.addressesOf(n));
      Traffic.unreachable(r).forEach(a -> unreachable.add(n.name() + ":" + a));
      if (!Traffic.unreachable(r).isEmpty()) {
        unreachable.add("(state of " + n.name() + " saved in " + Diagnostics.dump(sb, n) + ")");
      }
    }
    report.check("every address of every node still answers the client", unreachable.isEmpty(),
        unreachable.isEmpty() ? "" : "no answer from " + unreachable);

    ctx.narrator().say("$ kubectl patch nnp " + Policies.NAME + " --type merge -p '{\"spec\":{\"routing\":{\"gateway\":\""
        + Vpc.GATEWAY + "\"}}}'   (the fix)");
    long fixed;
    try (ProgressView view = ctx.progress()) {
      fixed = edit(ctx, Vpc.GATEWAY);
      Optional<Duration> done = Await.until(ctx.rolloutTimeout(), 200, () -> RolloutStep.complete(ctx, fixed));
      report.figure("fix → every node Applied", done.orElse(ctx.rolloutTimeout()));
      ctx.narrator().say("waves as observed: " + String.join("  →  ", view.waves(fixed)));
      report.check("the fixed generation " + fixed + " rolled out to every node", done.isPresent(), ctx.snapshot().line());
    }
    RolloutStep.verifyReady(ctx, report, fixed);
  }

  private static long edit(ScenarioContext ctx, String gateway) {
    NodeNetworkPolicy p = ctx.client().resources(NodeNetworkPolicy.class).withName(Policies.NAME)
        .edit(x -> {
          x.getSpec().getRouting().setGateway(gateway);
          return x;
        });
    return p.getMetadata().getGeneration();
  }

  private static String message(NodeNetworkPolicy p) {
    var c = ClusterSnapshot.condition(p, Api.DEGRADED);
    return c == null ? "(no Degraded condition)" : c.getReason() + ": " + c.getMessage();
  }

  private static String describeProbe(ScenarioContext ctx, List<String> nodes) {
    if (nodes.isEmpty()) {
      return "";
    }
    NodeNetworkConfig c = ctx.client().resources(NodeNetworkConfig.class).withName(nodes.get(0)).get();
    if (c == null || c.getStatus() == null) {
      return "";
    }
    return c.getStatus().getConditions().stream().filter(x -> Api.ROLLED_BACK.equals(x.getType()))
        .map(x -> " — " + x.getReason() + ": " + x.getMessage()).findFirst().orElse("");
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
