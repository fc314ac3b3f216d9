package io.eniroute.agent.engine;

import io.eniroute.agent.kernel.KernelState;
import io.eniroute.agent.kernel.Link;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Addresses eniroute added to an interface that the spec no longer lists for it: EC2 released or
 * moved them (the operator trims its surplus only after the node stopped using it), so the host
 * must drop them, not only on revert. Only addresses eniroute itself added (the ownership record)
 * are ever retired; an address DHCP or a person configured stays.
 */
final class RetiredAddresses {

  /** {@code [dev, a/len]} pairs to remove, in the order eniroute added them. */
  List<String[]> of(ResolvedSpec s, KernelState k, OwnershipState owned) {
    Set<String> listed = new HashSet<>();
    for (InterfaceAddresses e : s.addresses()) {
      for (Link l : k.links()) {
        if (e.getMac().equalsIgnoreCase(l.mac())) {
          (e.getAddresses() == null ? List.<String>of() : e.getAddresses())
              .forEach(a -> listed.add(l.name() + " " + Ipv4.addressOf(a)));
        }
      }
    }
    List<String[]> out = new ArrayList<>();
    for (List<String> a : owned.addressesAdded()) {
      String dev = a.get(0);
      String ip = Ipv4.addressOf(a.get(1));
      boolean present = k.addresses().stream().anyMatch(x -> x.dev().equals(dev) && x.address().equals(ip));
      if (present && !listed.contains(dev + " " + ip)) {
        out.add(new String[] {dev, a.get(1)});
      }
    }
    return out;
  }
}
