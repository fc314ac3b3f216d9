package io.eniroute.agent.engine;

import io.eniroute.agent.kernel.KernelState;
import io.eniroute.agent.kernel.Link;
import io.eniroute.agent.kernel.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prefixes the node routes to local bridges and veths (docker0's 172.17.0.0/16, a CNI bridge's pod
 * CIDR): a reply from a routed address (the primary's too, with primaryRules) to such a prefix must
 * stay on main, or its address's table sends it out of the ENI to the gateway (the trap of
 * amazon-ec2-net-utils #97). The planner gives each one a {@code to <prefix> lookup main} rule
 * beside spec.routing.mainDestinations, and drift healing adds the prefix of a bridge that
 * appears later.
 *
 * <p>Counted: main-table link routes (no gateway, not eniroute's) with a prefix shorter than /32
 * through a bridge, a veth or a container/CNI-named interface eniroute does not manage, that do not
 * overlap a managed interface's subnet. Per-pod /32 routes are left out: the VPC CNI gives every pod
 * its own {@code to <pod> lookup main} rule at priority 512 already.
 */
final class LocalPrefixes {

  List<String> detect(KernelState k, List<ManagedInterface> managed) {
    Set<String> managedNames = new HashSet<>();
    managed.forEach(m -> managedNames.add(m.name()));
    Map<String, Link> links = new HashMap<>();
    k.links().forEach(l -> links.put(l.name(), l));
    List<String> out = new ArrayList<>();
    for (Route r : k.routes()) {
      if (r.table() != Route.MAIN || r.protocol() == Planner.PROTO || r.gateway() != null || r.dev() == null
          || managedNames.contains(r.dev()) || r.dst().equals("0.0.0.0/0") || Ipv4.prefixOf(r.dst()) >= 32) {
        continue;
      }
      Link l = links.get(r.dev());
      if (l == null || l.loopback() || !localKind(l)) {
        continue;
      }
      if (managed.stream().anyMatch(m -> overlaps(m.subnet(), r.dst())) || out.contains(r.dst())) {
        continue;
      }
      out.add(r.dst());
    }
    return out;
  }

  private static boolean localKind(Link l) {
    return "bridge".equals(l.kind()) || "veth".equals(l.kind())
        || InterfaceSelector.CNI_PREFIXES.stream().anyMatch(p -> l.name().startsWith(p));
  }

  private static boolean overlaps(String a, String b) {
    int len = Math.min(Ipv4.prefixOf(a), Ipv4.prefixOf(b));
    return Ipv4.network(Ipv4.addressOf(a), len).equals(Ipv4.network(Ipv4.addressOf(b), len));
  }
}
