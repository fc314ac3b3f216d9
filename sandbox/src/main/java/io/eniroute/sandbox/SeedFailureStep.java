package io.eniroute.sandbox;

import io.eniroute.lab.KernelDump;
import java.util.List;
import java.util.Map;

/**
 * Step 1: the field report's situation before eniroute. An admin attaches a second ENI by hand
 * and configures its addresses the naive way (the seed's {@code ip addr add ... dev eth1}); the
 * client reaches eth0 but none of eth1's addresses, because replies leave through eth0 and the
 * VPC drops them. Then the state every node must return to in step 5 is recorded.
 */
public final class SeedFailureStep implements ScenarioStep {
  @Override
  public String title() {
    return "the seed's failure, before eniroute";
  }

  @Override
  public void run(ScenarioContext ctx, StepReport report) {
    Sandbox sb = ctx.sandbox();
    // With moto the operator allocates in EC2 (step 2); only node-1 gets the hand-made ENI.
    // With the in-memory fake the sandbox plays the admin for every node.
    List<SandboxNode> byHand = sb.ec2ByOperator() ? List.of(sb.nodes().get(0)) : sb.nodes();
    for (SandboxNode n : byHand) {
      Ec2Interface eth0 = ctx.interfacesOf(n).get(0);
      if (!sb.ec2ByOperator()) {
        sb.ec2().assignSecondary(eth0.id(), 1);
      }
      Ec2Interface eth1 = sb.ec2().attachByHand(n.instance().instanceId(), 1);
      ctx.narrator().say(n.name() + ": the admin attaches " + eth1.id() + " in the console with addresses " + eth1.privateIps()
          + (sb.ec2ByOperator() ? ", tagged " + Policies.ADOPT_TAG_KEY + "=" + Policies.ADOPT_TAG_VALUE + " so the policy adopts it" : ""));
      sb.mirror().sync();
      if (sb.ec2ByOperator()) {
        // No DHCP for a hot-plugged ENI here (AL2023-like): the admin brings it up and adds its primary too.
        sb.vpc().ip(n.name(), "link", "set", "eth" + eth1.deviceIndex(), "up");
        sb.vpc().ip(n.name(), "addr", "add", eth1.primaryIp() + "/24", "dev", "eth" + eth1.deviceIndex());
        ctx.narrator().say(n.name() + "# ip link set eth" + eth1.deviceIndex() + " up; ip addr add " + eth1.primaryIp()
            + "/24 dev eth" + eth1.deviceIndex() + "   (no DHCP for an ENI attached later)");
      }
      for (Ec2Interface eni : ctx.interfacesOf(n)) {
        for (String secondary : eni.privateIps().subList(1, eni.privateIps().size())) {
          String dev = "eth" + eni.deviceIndex();
          // The seed's own command: ip addr add 10.0.0.131/24 broadcast 10.0.0.255 dev eth1
          sb.vpc().ip(n.name(), "addr", "add", secondary + "/24", "broadcast", "10.0.0.255", "dev", dev);
          ctx.narrator().say(n.name() + "# ip addr add " + secondary + "/24 broadcast 10.0.0.255 dev " + dev + "   (the naive way)");
        }
      }
    }

    SandboxNode first = sb.nodes().get(0);
    List<Ec2Interface> enis = ctx.interfacesOf(first);
    Map<String, Boolean> eth0 = ctx.traffic().probe(List.of(enis.get(0).primaryIp()));
    report.check("client reaches " + first.name() + "'s eth0 " + enis.get(0).primaryIp(), Traffic.unreachable(eth0).isEmpty(),
        "the primary interface works");
    List<String> eth1Addrs = enis.get(1).privateIps();
    Map<String, Boolean> eth1 = ctx.traffic().probe(eth1Addrs);
    report.check("client cannot reach " + first.name() + "'s eth1 addresses " + eth1Addrs + " (the seed's failure)",
        Traffic.reachable(eth1).isEmpty(),
        Traffic.reachable(eth1).isEmpty() ? "reproduced: no answer" : "answered: " + Traffic.reachable(eth1));
    String why = sb.vpc().ip(first.name(), "route", "get", sb.vpc().clientAddress(), "from", eth1Addrs.get(0))
        .replaceAll("\\s+", " ").strip();
    ctx.narrator().say("why: " + first.name() + "# ip route get " + sb.vpc().clientAddress() + " from " + eth1Addrs.get(0)
        + "  →  " + why);
    report.check("a reply from eth1's address leaves by eth0 (main table), which the VPC drops",
        why.contains("dev eth0"), why);

    for (SandboxNode n : sb.nodes()) {
      ctx.originalKernel().put(n.name(), KernelDump.of(n.netns()));
    }
    ctx.originalEc2(sb.ec2().attachedInterfaces());
    ctx.narrator().say("recorded every node's kernel state (addresses, all route tables, rules, sysctls) and EC2's "
        + ctx.originalEc2().size() + " ENIs: step 5 compares against them");
  }
}
