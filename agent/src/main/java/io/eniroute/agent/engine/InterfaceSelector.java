package io.eniroute.agent.engine;

import io.eniroute.agent.kernel.Address;
import io.eniroute.agent.kernel.KernelState;
import io.eniroute.agent.kernel.Link;
import io.eniroute.agent.kernel.Route;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.InterfaceMatcher;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which interfaces get a table, and their numbers.
 *
 * <p>The rule: loopback, bridges, anything enslaved (bridge or bond ports) and links that are
 * administratively down are never managed, except a down link that {@code spec.addresses} lists
 * with addresses (an ENI no DHCP configured: the planner brings it up). With
 * {@code onlyListedInterfaces} only interfaces listed with addresses are managed.
 * Other interfaces are candidates when their kernel kind is a NIC-like one (none = physical,
 * veth, dummy, macvlan, ipvlan, vlan, bond) and their name is not a container/CNI name
 * (docker*, cni*, cali*, eni*, veth*, flannel*, cilium*, lxc*, ...); an include that names the
 * interface exactly (name without wildcards, or MAC) overrides both of those checks. A candidate
 * is managed when it matches {@code include} (or include is empty and it has an IPv4 address or
 * a {@code spec.addresses} entry) and no {@code exclude}.
 *
 * <p>Numbering: {@code deviceIndex}/{@code networkCard} from the interface's
 * {@code spec.addresses} entry; otherwise the primary (the interface of main's default route,
 * else the lowest ifindex) is 0 and the others follow by ifindex on card 0.
 */
public final class InterfaceSelector {
  static final Set<String> NIC_KINDS = Set.of("veth", "dummy", "macvlan", "ipvlan", "vlan", "bond");
  static final List<String> CNI_PREFIXES = List.of("docker", "cni", "cali", "eni", "veth", "flannel",
      "cilium", "lxc", "kube-", "vxlan", "tunl", "weave", "virbr", "br-", "genev", "nodelocaldns");
  private static final AddressClaims CLAIMS = new AddressClaims();

  /** Picks and numbers the managed interfaces; throws InvalidConfig for names that match nothing. */
  public Selection select(NodeNetworkConfigSpec spec, KernelState state) {
    return select(spec, state, Set.of());
  }

  /** As {@link #select(NodeNetworkConfigSpec, KernelState)}, treating {@code retired} ("dev ip") as gone already. */
  Selection select(NodeNetworkConfigSpec spec, KernelState state, Set<String> retired) {
    ResolvedSpec s = ResolvedSpec.of(spec);
    List<InterfaceMatcher> include = s.include();
    List<InterfaceMatcher> exclude = s.exclude();
    Map<String, Integer> specByMac = new HashMap<>();
    List<InterfaceAddresses> addrs = s.addresses();
    for (int i = 0; i < addrs.size(); i++) {
      specByMac.put(addrs.get(i).getMac(), i);
    }
    checkNamedInterfacesExist(include, "spec.interfaces.include", state);
    for (int i = 0; i < addrs.size(); i++) {
      String mac = addrs.get(i).getMac();
      if (state.links().stream().noneMatch(l -> mac.equalsIgnoreCase(l.mac()))) {
        throw PlanException.invalid("spec.addresses[" + i + "].mac: no interface with MAC " + mac
            + " on this host; attach the interface or remove the entry");
      }
    }

    List<InterfaceStatus> statuses = new ArrayList<>();
    List<Link> candidates = new ArrayList<>();
    Map<String, String> notes = new HashMap<>();
    for (Link l : state.links()) {
      boolean listed = listedWithAddresses(specByMac.get(lower(l.mac())), addrs);
      String why = structuralExclusion(l, include, specByMac.containsKey(lower(l.mac())), listed);
      if (why == null && s.onlyListedInterfaces() && !listed) {
        why = "not listed with addresses in spec.addresses (spec.onlyListedInterfaces: the config comes from EC2, "
            + "and interfaces eniroute does not own there, such as the VPC CNI's, are left alone)";
      }
      if (why == null) {
        candidates.add(l);
      } else {
        notes.put(l.name(), why);
      }
    }
    candidates.sort(Comparator.comparingInt(Link::ifindex));
    Link primary = primaryOf(candidates, state);
    Map<String, int[]> numbers = number(candidates, primary, specByMac, addrs);

    List<ManagedInterface> managed = new ArrayList<>();
    Map<String, List<String>> conflicts = new HashMap<>();
    for (Link l : state.links()) {
      int[] num = numbers.get(l.name());
      String note = notes.get(l.name());
      Integer specIdx = specByMac.get(lower(l.mac()));
      List<Address> observed = state.addressesOf(l.name()).stream()
          .filter(a -> !retired.contains(l.name() + " " + a.address())).toList();
      if (note == null) {
        note = selectionExclusion(l, num, include, exclude, specIdx != null || !observed.isEmpty());
      }
      ManagedInterface m = null;
      if (note == null) {
        m = build(l, num, l == primary, observed, specIdx == null ? null : addrs.get(specIdx), specIdx, s, state,
            conflicts.computeIfAbsent(l.name(), k -> new ArrayList<>()));
        if (m == null) {
          note = "no IPv4 address";
        }
      }
      statuses.add(status(l, num, observed, m, note, conflicts.getOrDefault(l.name(), List.of())));
      if (m != null) {
        managed.add(m);
      }
    }
    checkAddressesUnique(managed, state);
    return new Selection(managed, statuses);
  }

  private static boolean listedWithAddresses(Integer specIdx, List<InterfaceAddresses> addrs) {
    return specIdx != null && addrs.get(specIdx).getAddresses() != null && !addrs.get(specIdx).getAddresses().isEmpty();
  }

  // listed: spec.addresses gives the interface addresses, so a down link is brought up (an ENI attached
  // after boot gets no DHCP on AL2023/Bottlerocket and stays down without an address).
  private static String structuralExclusion(Link l, List<InterfaceMatcher> include, boolean inSpec, boolean listed) {
    if (l.loopback()) {
      return "loopback";
    }
    if ("bridge".equals(l.kind())) {
      return "a bridge (bridges are never managed)";
    }
    if (l.master() != null) {
      return "a port of " + l.master() + " (bridge and bond ports are never managed)";
    }
    if (!l.up() && !listed) {
      return "link is down (the kernel refuses routes through it); it is managed once it is up";
    }
    boolean explicit = inSpec || include.stream().anyMatch(m -> explicitlyNames(m, l));
    if (explicit) {
      return null;
    }
    if (l.kind() != null && !NIC_KINDS.contains(l.kind())) {
      return "kind " + l.kind() + " is not a NIC (include it by exact name or MAC to manage it)";
    }
    for (String p : CNI_PREFIXES) {
      if (l.name().startsWith(p)) {
        return "a container/CNI interface (" + p + "*); include it by exact name or MAC to manage it";
      }
    }
    return null;
  }

  private static String selectionExclusion(Link l, int[] num, List<InterfaceMatcher> include,
      List<InterfaceMatcher> exclude, boolean hasAddressOrSpec) {
    for (int i = 0; i < exclude.size(); i++) {
      if (matches(exclude.get(i), l, num)) {
        return "excluded by spec.interfaces.exclude[" + i + "]";
      }
    }
    if (!include.isEmpty()) {
      return include.stream().anyMatch(m -> matches(m, l, num)) ? null : "not in spec.interfaces.include";
    }
    return hasAddressOrSpec ? null : "no IPv4 address";
  }

  private static ManagedInterface build(Link l, int[] num, boolean primary, List<Address> observed,
      InterfaceAddresses entry, Integer entryIdx, ResolvedSpec s, KernelState state, List<String> conflicts) {
    List<String> addresses = new ArrayList<>();
    for (Address a : observed) {
      addresses.add(a.address());
    }
    Optional<Address> first = observed.stream().filter(a -> !a.secondary()).findFirst()
        .or(() -> observed.stream().findFirst());
    String primaryAddress = first.map(Address::address).orElse(null);
    int prefix = first.map(Address::prefix).orElse(-1);
    List<String> toAdd = new ArrayList<>();
    if (entry != null) {
      List<String> wanted = entry.getAddresses() == null ? List.of() : entry.getAddresses();
      for (int j = 0; j < wanted.size(); j++) {
        String w = wanted.get(j);
        String ip = Ipv4.addressOf(w);
        int len = Ipv4.prefixOf(w) >= 0 ? Ipv4.prefixOf(w) : prefix;
        if (len < 0) {
          throw PlanException.invalid("spec.addresses[" + entryIdx + "].addresses[" + j + "]: " + w
              + " has no prefix length and " + l.name() + " has no address to take it from; write it as "
              + ip + "/LEN");
        }
        if (addresses.contains(ip)) {
          continue;
        }
        Optional<String> claim = CLAIMS.claimedElsewhere(ip, l.name(), state);
        if (claim.isPresent()) {
          conflicts.add(ip + ": " + claim.get());
          continue;
        }
        for (Address other : state.addresses()) {
          if (other.address().equals(ip)) {
            throw PlanException.invalid("spec.addresses[" + entryIdx + "].addresses[" + j + "]: " + ip
                + " is on " + other.dev() + " but the entry puts it on " + l.name() + "; move it or fix the entry");
          }
        }
        addresses.add(ip);
        toAdd.add(ip + "/" + len);
        if (primaryAddress == null) {
          primaryAddress = ip;
          prefix = len;
        }
      }
    }
    if (primaryAddress == null) {
      return null;
    }
    String subnet = Ipv4.network(primaryAddress, prefix);
    String gateway = s.gateway() != null ? s.gateway() : Ipv4.firstHost(subnet);
    if (gateway == null) {
      throw PlanException.invalid("spec.routing.gateway: " + l.name() + "'s subnet " + subnet
          + " has no first host to take as its gateway; set spec.routing.gateway");
    }
    int card = num[0];
    int index = num[1];
    boolean hasTable = !primary || s.primaryRules();
    return new ManagedInterface(l.name(), lower(l.mac()), l.ifindex(), card, index, primary, subnet,
        primaryAddress, addresses, toAdd, s.tableBase() + 100L * card + index, s.priorityBase() + 100 * card + index,
        gateway, hasTable);
  }

  private static Link primaryOf(List<Link> candidates, KernelState state) {
    Set<String> names = new HashSet<>();
    candidates.forEach(l -> names.add(l.name()));
    Optional<Route> def = state.routes().stream()
        .filter(r -> r.table() == Route.MAIN && r.dst().equals("0.0.0.0/0") && names.contains(r.dev()))
        .min(Comparator.comparingInt(Route::metric));
    if (def.isPresent()) {
      return candidates.stream().filter(l -> l.name().equals(def.get().dev())).findFirst().orElseThrow();
    }
    return candidates.isEmpty() ? null : candidates.get(0);
  }

  private static Map<String, int[]> number(List<Link> candidates, Link primary, Map<String, Integer> specByMac,
      List<InterfaceAddresses> addrs) {
    Map<String, int[]> out = new HashMap<>();
    Map<String, String> taken = new HashMap<>();
    for (Link l : candidates) {
      Integer i = specByMac.get(lower(l.mac()));
      if (i != null && addrs.get(i).getDeviceIndex() != null) {
        InterfaceAddresses e = addrs.get(i);
        int card = e.getNetworkCard() == null ? 0 : e.getNetworkCard();
        String key = card + "/" + e.getDeviceIndex();
        if (taken.containsKey(key)) {
          throw PlanException.invalid("spec.addresses[" + i + "].deviceIndex: network card " + card
              + " device index " + e.getDeviceIndex() + " is given to both " + taken.get(key) + " and "
              + l.name() + "; each interface needs its own");
        }
        taken.put(key, l.name());
        out.put(l.name(), new int[] {card, e.getDeviceIndex()});
      }
    }
    List<Link> rest = new ArrayList<>();
    if (primary != null && !out.containsKey(primary.name())) {
      rest.add(primary);
    }
    candidates.stream().filter(l -> l != primary && !out.containsKey(l.name())).forEach(rest::add);
    int next = 0;
    for (Link l : rest) {
      while (taken.containsKey("0/" + next)) {
        next++;
      }
      taken.put("0/" + next, l.name());
      out.put(l.name(), new int[] {0, next});
    }
    return out;
  }

  private static void checkNamedInterfacesExist(List<InterfaceMatcher> matchers, String field, KernelState state) {
    for (int i = 0; i < matchers.size(); i++) {
      InterfaceMatcher m = matchers.get(i);
      if (m.getName() == null && m.getMac() == null && m.getDeviceIndex() == null) {
        throw PlanException.invalid(field + "[" + i + "]: a matcher needs at least one of name, mac or deviceIndex");
      }
      if (m.getName() != null && !isGlob(m.getName())
          && state.links().stream().noneMatch(l -> l.name().equals(m.getName()))) {
        throw PlanException.invalid(field + "[" + i + "].name: no interface named " + m.getName()
            + " on this host; fix the name or use a wildcard");
      }
      if (m.getMac() != null && state.links().stream().noneMatch(l -> m.getMac().equalsIgnoreCase(l.mac()))) {
        throw PlanException.invalid(field + "[" + i + "].mac: no interface with MAC " + m.getMac() + " on this host");
      }
    }
  }

  private static void checkAddressesUnique(List<ManagedInterface> managed, KernelState state) {
    Map<String, String> seen = new HashMap<>();
    for (ManagedInterface m : managed) {
      for (String a : m.addresses()) {
        String prev = seen.put(a, m.name());
        if (prev != null && !prev.equals(m.name())) {
          throw PlanException.invalid("address " + a + " is on both " + prev + " and " + m.name()
              + "; an address must belong to one interface");
        }
      }
    }
  }

  private static boolean explicitlyNames(InterfaceMatcher m, Link l) {
    return (m.getName() != null && !isGlob(m.getName()) && m.getName().equals(l.name()))
        || (m.getMac() != null && m.getMac().equalsIgnoreCase(l.mac()));
  }

  static boolean matches(InterfaceMatcher m, Link l, int[] num) {
    if (m.getName() != null && !glob(m.getName()).matcher(l.name()).matches()) {
      return false;
    }
    if (m.getMac() != null && !m.getMac().equalsIgnoreCase(l.mac())) {
      return false;
    }
    if (m.getDeviceIndex() != null && (num == null || num[1] != m.getDeviceIndex())) {
      return false;
    }
    return m.getName() != null || m.getMac() != null || m.getDeviceIndex() != null;
  }

  private static boolean isGlob(String name) {
    return name.contains("*") || name.contains("?") || name.contains("[");
  }

  static Pattern glob(String g) {
    StringBuilder re = new StringBuilder();
    for (char c : g.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '[', ']', '-' -> re.append(c);
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  private static InterfaceStatus status(Link l, int[] num, List<Address> observed, ManagedInterface m, String note,
      List<String> conflicts) {
    InterfaceStatus st = new InterfaceStatus();
    if (!conflicts.isEmpty()) {
      st.setConflicts(new ArrayList<>(conflicts));
    }
    st.setName(l.name());
    st.setMac(lower(l.mac()));
    st.setManaged(m != null);
    if (m != null) {
      st.setNetworkCard(m.networkCard());
      st.setDeviceIndex(m.deviceIndex());
      st.setAddresses(new ArrayList<>(m.addresses()));
      st.setSubnet(m.subnet());
      st.setGateway(m.gateway());
      if (m.hasTable()) {
        st.setTable(m.table());
        st.setPriority(m.priority());
      } else {
        st.setNote("primary interface: no table of its own (spec.interfaces.primaryRules is false)");
      }
    } else {
      st.setAddresses(new ArrayList<>(observed.stream().map(Address::address).toList()));
      st.setNote(note);
    }
    return st;
  }

  private static String lower(String mac) {
    return mac == null ? null : mac.toLowerCase();
  }
}
