package io.eniroute.sandbox;

import io.eniroute.lab.VpcCniActor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Step 0: the AWS VPC CNI got to the last node first, as on every EKS node. In EC2 (moto) its
 * ipamd assigns a warm pool of two secondary addresses to the node's primary ENI; on the node two
 * pods use them, each in its own namespace behind a veth, with exactly the CNI's host routing
 * ({@code /32 dev eni*} in main, {@code to <pod> lookup main} at 512). The rest of the scenario
 * runs beside it; a watch checks all along that the pods answer and that no config lists them.
 * Needs moto (the operator's EC2 path) and at least 2 nodes (node-1 is the seed's hand-made node).
 */
public final class VpcCniCoTenantStep implements ScenarioStep {
  static final int PODS = 2;

  @Override
  public String title() {
    return "co-tenant: the AWS VPC CNI with a warm pool and pods on the last node";
  }

  @Override
  public void run(ScenarioContext ctx, StepReport report) {
    Sandbox sb = ctx.sandbox();
    if (!sb.ec2ByOperator() || sb.nodes().size() < 2) {
      ctx.narrator().say("skipped: the co-tenant needs moto (the operator's EC2 path) and at least 2 nodes");
      return;
    }
    SandboxNode n = sb.nodes().get(sb.nodes().size() - 1);
    Ec2Interface eth0 = ctx.interfacesOf(n).get(0);
    sb.ec2().assignSecondary(eth0.id(), PODS);
    List<String> warm = new ArrayList<>(ctx.interfacesOf(n).get(0).privateIps());
    warm.removeAll(eth0.privateIps());
    sb.mirror().sync();
    ctx.narrator().say(n.name() + ": ipamd assigns its warm pool " + warm + " to " + eth0.id() + " (eth0) in EC2");
    VpcCniActor cni = sb.vpc().vpcCni(n.name(), "eth0");
    for (int i = 0; i < warm.size(); i++) {
      VpcCniActor.Pod p = cni.addPod("pod" + (i + 1) + "-" + n.name(), warm.get(i), 0);
      ctx.narrator().say(n.name() + ": pod " + p.name() + " at " + p.ip() + " behind " + p.hostVeth()
          + " (namespace " + p.netns() + ")");
    }
    ctx.narrator().say(n.name() + "# ip rule   (the CNI's)\n      " + String.join("\n      ", cni.hostRouting()));
    for (VpcCniActor.Pod p : cni.pods()) {
      String reply = cni.askFromClient(p.ip());
      report.check("client reaches pod " + p.name() + " at " + p.ip() + " and the POD answers", p.name().equals(reply),
          "answered: " + reply);
    }
    CoTenantWatch watch = new CoTenantWatch(n.name(), cni, ctx.client());
    sb.closeWith(watch); // a scenario that stops early still stops the watch and the pods' servers
    ctx.coTenant(watch);
    ctx.narrator().say("watching the pods (TCP from the client, answered with the pod's name) and every "
        + "NodeNetworkConfig (no pod address) until the last step");
    report.check("EC2 warm pool assigned", warm.size() == PODS, String.valueOf(Map.of(eth0.id(), warm)));
  }
}
