package io.eniroute.agent.engine;

import io.eniroute.agent.kernel.KernelState;
import io.eniroute.agent.kernel.Route;
import io.eniroute.agent.kernel.Rule;
import io.eniroute.crds.v1alpha1.MainTableMode;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** From a spec and the observed interfaces, the state eniroute wants (see issue 3 and docs/agent.md). */
public final class Planner {
  /** The iproute2 protocol number on every route and rule eniroute creates ("eniroute"). */
  public static final int PROTO = 228;

  private final InterfaceSelector selector;
  private final LocalPrefixes localPrefixes = new LocalPrefixes();
  private final RetiredAddresses retiredAddresses = new RetiredAddresses();

  public Planner(InterfaceSelector selector) {
    this.selector = selector;
  }

  public Planner() {
    this(new InterfaceSelector());
  }

  public Desired plan(NodeNetworkConfigSpec spec, KernelState state) {
    return plan(spec, state, OwnershipState.empty());
  }

  /** The plan when eniroute already added the addresses in {@code owned}: those the spec dropped go. */
  public Desired plan(NodeNetworkConfigSpec spec, KernelState state, OwnershipState owned) {
    ResolvedSpec s = ResolvedSpec.of(spec);
    List<String[]> retired = retiredAddresses.of(s, state, owned);
    Set<String> hidden = new HashSet<>();
    retired.forEach(r -> hidden.add(r[0] + " " + Ipv4.addressOf(r[1])));
    Selection sel = selector.select(spec, state, hidden);
    List<String[]> addrs = new ArrayList<>();
    List<Route> routes = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    Map<String, String> sysctls = new LinkedHashMap<>();
    Map<Integer, String> priorities = new LinkedHashMap<>();
    Map<Long, String> tables = new LinkedHashMap<>();
    List<String> toMain = new ArrayList<>(s.mainDestinations());
    if (s.priorityBase() >= 2) { // the rules sit at priorityBase - 1
      localPrefixes.detect(state, sel.managed()).stream().filter(d -> !toMain.contains(d)).forEach(toMain::add);
    }
    if (!toMain.isEmpty()) {
      priorities.put(s.priorityBase() - 1, "spec.routing.mainDestinations and local bridge/veth prefixes");
      for (String d : toMain) {
        rules.add(new Rule(s.priorityBase() - 1, null, d, Route.MAIN, PROTO, false));
      }
    }
    for (ManagedInterface m : sel.managed()) {
      for (String a : m.toAdd()) {
        addrs.add(new String[] {m.name(), a});
      }
      sysctls.put(KernelState.sysctlKey(m.name(), "rp_filter"), String.valueOf(s.rpFilter().sysctl()));
      if (s.arpHardening()) {
        sysctls.put(KernelState.sysctlKey(m.name(), "arp_ignore"), "1");
        sysctls.put(KernelState.sysctlKey(m.name(), "arp_announce"), "2");
      }
      if (!m.hasTable()) {
        continue;
      }
      priorities.put(m.priority(), m.name());
      tables.put(m.table(), m.name());
      routes.add(new Route(m.table(), m.subnet(), null, m.name(), 253, m.primaryAddress(), PROTO, 0));
      routes.add(new Route(m.table(), "0.0.0.0/0", m.gateway(), m.name(), 0, null, PROTO, 0));
      for (String a : m.addresses()) {
        rules.add(new Rule(m.priority(), a + "/32", null, m.table(), PROTO, false));
      }
    }
    checkEffectiveRpFilter(s, sel, state);
    Set<String> targets = new HashSet<>();
    List<Route> removals = s.mainTable() == MainTableMode.REMOVE_DUPLICATES ? duplicates(sel, state, targets) : List.of();
    List<String> down = new ArrayList<>();
    for (ManagedInterface m : sel.managed()) {
      state.links().stream().filter(l -> l.name().equals(m.name()) && !l.up()).forEach(l -> down.add(l.name()));
    }
    return new Desired(sel, addrs, routes, rules, sysctls, removals, targets, priorities, tables, down, retired);
  }

  /**
   * The kernel filters with max(all, dev): a device value below {@code all}'s never takes effect,
   * and {@code all} is not eniroute's to lower (it applies to every interface). Refused, with the
   * fix, rather than applied and reported as done; checked on every pass, so a later change of
   * {@code all} (seen by the sysctl watch) is reported too.
   */
  private static void checkEffectiveRpFilter(ResolvedSpec s, Selection sel, KernelState state) {
    String all = state.sysctls().get(KernelState.sysctlKey("all", "rp_filter"));
    int wanted = s.rpFilter().sysctl();
    if (all == null || sel.managed().isEmpty() || !all.strip().matches("\\d+") || Integer.parseInt(all.strip()) <= wanted) {
      return;
    }
    String dev = sel.managed().get(0).name();
    throw new PlanException(PlanException.FOREIGN_CONFLICT, "spec.routing.rpFilter: " + s.rpFilter().value()
        + " cannot take effect: the kernel uses max(net.ipv4.conf.all.rp_filter, net.ipv4.conf." + dev
        + ".rp_filter) and all is " + all.strip() + "; set net.ipv4.conf.all.rp_filter=" + wanted
        + " on the node (e.g. in /etc/sysctl.d) or choose rpFilter: Loose");
  }

  /**
   * Main-table subnet routes through managed interfaces other than the one that keeps the subnet
   * (the primary if it has that subnet, else the lowest device index): the duplicates the kernel
   * adds for every interface of the same subnet.
   */
  private static List<Route> duplicates(Selection sel, KernelState state, Set<String> targets) {
    List<Route> out = new ArrayList<>();
    Map<String, List<ManagedInterface>> bySubnet = new LinkedHashMap<>();
    for (ManagedInterface m : sel.managed()) {
      bySubnet.computeIfAbsent(m.subnet(), k -> new ArrayList<>()).add(m);
    }
    for (Map.Entry<String, List<ManagedInterface>> e : bySubnet.entrySet()) {
      List<ManagedInterface> same = e.getValue();
      if (same.size() < 2) {
        continue;
      }
      Optional<ManagedInterface> keeper = same.stream().filter(ManagedInterface::primary).findFirst()
          .or(() -> same.stream().min(Comparator.comparingInt((ManagedInterface m) -> m.networkCard() * 1000 + m.deviceIndex())));
      boolean keeperHasRoute = state.routes().stream().anyMatch(r -> isSubnetRoute(r, e.getKey(), keeper.get().name()));
      if (!keeperHasRoute) {
        continue; // removing the others would leave main without a route to the subnet
      }
      for (ManagedInterface m : same) {
        if (m == keeper.get()) {
          continue;
        }
        targets.add(e.getKey() + " " + m.name());
        state.routes().stream().filter(r -> isSubnetRoute(r, e.getKey(), m.name())).forEach(out::add);
      }
    }
    return out;
  }

  private static boolean isSubnetRoute(Route r, String subnet, String dev) {
    return r.table() == Route.MAIN && r.dst().equals(subnet) && dev.equals(r.dev()) && r.gateway() == null
        && r.protocol() != PROTO;
  }
}
