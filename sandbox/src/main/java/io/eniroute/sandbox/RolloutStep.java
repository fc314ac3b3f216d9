package io.eniroute.sandbox;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Step 2: kubectl apply the policy. The operator allocates in EC2 (moto), the lab mirrors it like
 * the hypervisor, the operator rolls the configs out (canary, then waves of maxUnavailable), the
 * agents apply; every address of every node answers the client.
 */
public final class RolloutStep implements ScenarioStep {
  @Override
  public String title() {
    return "apply the policy: EC2 allocation and staged rollout";
  }

  @Override
  public void run(ScenarioContext ctx, StepReport report) {
    Sandbox sb = ctx.sandbox();
    NodeNetworkPolicy policy = Policies.seedCase(sb.ec2ByOperator(), sb.elasticIps());
    ctx.narrator().say("$ kubectl apply -f - <<EOF");
    for (String line : ctx.client().getKubernetesSerialization().asYaml(policy).split("\n")) {
      ctx.narrator().say("  " + line);
    }
    ctx.narrator().say("EOF");
    long gen;
    Duration took;
    try (ProgressView view = ctx.progress()) {
      NodeNetworkPolicy created = ctx.client().resource(policy).create();
      gen = Objects.requireNonNullElse(created.getMetadata().getGeneration(), 1L);
      Optional<Duration> done = Await.until(ctx.rolloutTimeout(), 200, () -> complete(ctx, gen));
      took = done.orElse(ctx.rolloutTimeout());
      report.check("rollout of generation " + gen + " completed", done.isPresent(),
          done.isPresent() ? "" : "not complete after " + Summary.format(ctx.rolloutTimeout()) + ": " + ctx.snapshot().line());
      List<String> waves = view.waves(gen);
      ctx.narrator().say("waves as observed: " + (waves.isEmpty() ? "(none)" : String.join("  →  ", waves)));
      int max = Policies.maxUnavailable(sb.nodes().size());
      report.check("never more than maxUnavailable=" + Policies.MAX_UNAVAILABLE + " (" + max + ") nodes updating at once",
          view.maxUpdatingAtOnce() <= max, "observed at most " + view.maxUpdatingAtOnce() + " (sampled every 200 ms)");
    }
    report.figure("policy applied → every node Applied", took);
    verifyReady(ctx, report, gen);
  }

  /** Every node Applied at {@code gen} and the policy Ready: the end of a rollout. */
  static boolean complete(ScenarioContext ctx, long gen) {
    ClusterSnapshot s = ctx.snapshot();
    return s.policy().generation() != null
        && Objects.equals(s.policy().observedGeneration(), gen)
        && s.nodes().size() == ctx.sandbox().nodes().size()
        && s.nodes().stream().allMatch(n -> Objects.equals(n.applied(), gen) && Objects.equals(n.wanted(), gen)
            && "Applied".equals(n.result()))
        && isTrue(ctx.policy(), Api.READY);
  }

  static boolean isTrue(NodeNetworkPolicy p, String type) {
    Condition c = ClusterSnapshot.condition(p, type);
    return c != null && "True".equals(c.getStatus());
  }

  /** The checks shared by step 2 and the end of step 4: status, EC2 and traffic. */
  static void verifyReady(ScenarioContext ctx, StepReport report, long gen) {
    Sandbox sb = ctx.sandbox();
    ClusterSnapshot s = ctx.snapshot();
    report.check("policy status: Ready, " + sb.nodes().size() + "/" + sb.nodes().size() + " nodes ready at generation " + gen,
        isTrue(ctx.policy(), Api.READY) && Objects.equals(s.policy().ready(), sb.nodes().size()), s.line());
    List<String> bad = new ArrayList<>();
    for (SandboxNode n : sb.nodes()) {
      List<Ec2Interface> enis = ctx.interfacesOf(n);
      if (enis.size() < 2 || enis.stream().anyMatch(e -> e.privateIps().size() < 2)) {
        bad.add(n.name() + " has " + enis.stream().map(e -> "eth" + e.deviceIndex() + e.privateIps()).toList());
      }
    }
    report.check("EC2: every instance has 2 ENIs x 2 private addresses"
            + (sb.ec2ByOperator() ? " (allocated by the operator)" : " (pre-assigned: in-memory fake)"),
        bad.isEmpty(), String.join("; ", bad));
    if (sb.elasticIps()) {
      // The operator associates Elastic IPs to the secondary addresses it owns: on the primary, the ENIs it
      // created and node-1's hand-attached ENI (step 1), which the policy adopts by its tag; never a pod's.
      Map<String, Integer> eips = sb.ec2().elasticIpsByInstance();
      List<String> wrong = new ArrayList<>();
      for (SandboxNode n : sb.nodes()) {
        int expected = ctx.interfacesOf(n).stream()
            .mapToInt(e -> e.privateIps().size() - 1).sum() - ctx.podIpsOf(n).size(); // pod IPs are the CNI's
        int actual = eips.getOrDefault(n.instance().instanceId(), 0);
        if (actual != expected) {
          wrong.add(n.name() + " has " + actual + ", expected " + expected);
        }
      }
      report.check("EC2: one Elastic IP from the pool per secondary address eniroute manages", wrong.isEmpty(),
          String.join("; ", wrong));
    }
    int total = 0;
    List<String> unreachable = new ArrayList<>();
    for (SandboxNode n : sb.nodes()) {
      Map<String, Boolean> r = ctx.traffic().probe(ctx.addressesOf(n));
      total += r.size();
      Traffic.unreachable(r).forEach(a -> unreachable.add(n.name() + ":" + a));
      if (!Traffic.unreachable(r).isEmpty()) {
        unreachable.add("(state of " + n.name() + " saved in " + Diagnostics.dump(sb, n) + ")");
      }
    }
    report.check("client reaches every address of every node (" + total + " addresses)", unreachable.isEmpty() && total > 0,
        unreachable.isEmpty() ? "" : "no answer from " + unreachable);
  }
}
