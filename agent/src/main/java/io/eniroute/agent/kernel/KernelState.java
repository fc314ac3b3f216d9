package io.eniroute.agent.kernel;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one observation of a network namespace found: IPv4 only (eniroute routes IPv4).
 *
 * @param sysctls {@code net/ipv4/conf/IF/NAME} -> value, for rp_filter, arp_ignore, arp_announce
 */
public record KernelState(List<Link> links, List<Address> addresses, List<Rule> rules,
    List<Route> routes, Map<String, String> sysctls) {

  public KernelState {
    links = List.copyOf(links);
    addresses = List.copyOf(addresses);
    rules = List.copyOf(rules);
    routes = List.copyOf(routes);
    sysctls = Map.copyOf(sysctls);
  }

  public Optional<Link> link(String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  public List<Address> addressesOf(String dev) {
    return addresses.stream().filter(a -> a.dev().equals(dev)).toList();
  }

  /** The sysctl path for one interface setting, as used in {@link #sysctls()}. */
  public static String sysctlKey(String ifname, String name) {
    return "net/ipv4/conf/" + ifname + "/" + name;
  }
}
