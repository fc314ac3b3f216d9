package io.eniroute.sandbox;

import io.eniroute.lab.KernelDump;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Step 5: kubectl delete the policy. Every agent reverts, the operator releases what it added in
 * EC2, the lab unplugs what EC2 detached; every node's kernel state equals the dump taken before
 * step 2 and EC2 has its original ENIs and addresses: the "down" script the seed never wrote.
 */
public final class DeleteStep implements ScenarioStep {
  @Override
  public String title() {
    return "delete the policy: every node back to its original state";
  }

  @Override
  public void run(ScenarioContext ctx, StepReport report) {
    Sandbox sb = ctx.sandbox();
    ctx.narrator().say("$ kubectl delete nnp " + Policies.NAME);
    Optional<Duration> gone;
    long t0 = System.nanoTime();
    try (ProgressView view = ctx.progress()) {
      ctx.client().resources(NodeNetworkPolicy.class).withName(Policies.NAME).delete();
      gone = Await.until(ctx.rolloutTimeout(), 100, () -> ctx.policy() == null
          && ctx.client().resources(NodeNetworkConfig.class).list().getItems().isEmpty())
          .map(d -> Duration.ofNanos(System.nanoTime() - t0));
    }
    report.figure("delete → policy and every NodeNetworkConfig gone", gone.orElse(ctx.rolloutTimeout()));
    report.check("policy deleted after every node reverted (finalizer released)", gone.isPresent(), ctx.snapshot().line());

    Optional<Duration> ec2Back = Await.until(Duration.ofSeconds(60), 250,
        () -> sb.ec2().attachedInterfaces().equals(ctx.originalEc2()));
    List<Ec2Interface> now = sb.ec2().attachedInterfaces();
    report.check("EC2: back to the original " + ctx.originalEc2().size() + " ENIs and their addresses", ec2Back.isPresent(),
        ec2Back.isPresent() ? "" : "now " + describe(now) + " ; was " + describe(ctx.originalEc2()));
    sb.mirror().sync();
    if (sb.elasticIps()) {
      Map<String, Integer> eips = sb.ec2().elasticIpsByInstance();
      report.check("EC2: every Elastic IP disassociated, back in the pool", eips.isEmpty(),
          eips.isEmpty() ? "" : "still associated: " + eips);
    }

    for (SandboxNode n : sb.nodes()) {
      KernelDump before = ctx.originalKernel().get(n.name());
      // The agents' revert and the lab's unplug are asynchronous to the API: allow a few seconds.
      Await.until(Duration.ofSeconds(10), 250, () -> before.diff(KernelDump.of(n.netns())).isEmpty());
      List<String> diff = before.diff(KernelDump.of(n.netns()));
      report.check(n.name() + ": kernel state equals the dump taken before step 2 (" + before.lines().size() + " lines)",
          diff.isEmpty(), String.join("; ", diff));
    }
    SandboxNode first = sb.nodes().get(0);
    String eth0 = ctx.interfacesOf(first).get(0).primaryIp();
    report.check("client still reaches " + first.name() + "'s eth0 " + eth0,
        Traffic.unreachable(ctx.traffic().probe(List.of(eth0))).isEmpty(), "");
  }

  private static String describe(List<Ec2Interface> enis) {
    return enis.stream().map(e -> e.instanceId() + "/eth" + e.deviceIndex() + e.privateIps()).toList().toString();
  }
}
