package io.eniroute.agent.engine;

import io.eniroute.agent.kernel.Address;
import io.eniroute.agent.kernel.KernelState;
import io.eniroute.agent.kernel.Link;
import io.eniroute.agent.kernel.Route;
import io.eniroute.agent.kernel.Rule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns desired vs observed into ordered ops, touching only objects with protocol 228 (plus the
 * main duplicates the config removes and the ones it restores). Order, so that no managed
 * address is ever without a working route: links eniroute brings up, sysctls, addresses, table
 * routes, rules (main destinations first), restored main routes; then stale rules, stale routes,
 * addresses eniroute added that the spec no longer lists (newest first); main duplicates last.
 */
public final class Differ {

  public List<Op> diff(Desired d, KernelState k, OwnershipState owned) {
    checkForeign(d, k);
    List<Op> ops = new ArrayList<>();
    for (String dev : d.linksToBringUp()) {
      ops.add(Op.ip("link set dev " + dev + " up", "link set dev " + dev + " down"));
    }
    d.sysctls().forEach((key, value) -> {
      String now = k.sysctls().get(key);
      if (!value.equals(now)) {
        ops.add(Op.sysctl(key, value, now == null ? value : now));
      }
    });
    for (String[] a : d.addressesToAdd()) {
      ops.add(Op.ip("address add " + a[1] + " dev " + a[0] + " noprefixroute", "address del " + a[1] + " dev " + a[0]));
    }
    Map<String, Route> ownedRoutes = new LinkedHashMap<>();
    k.routes().stream().filter(r -> r.protocol() == Planner.PROTO).forEach(r -> ownedRoutes.put(r.key(), r));
    Set<String> wantedRouteKeys = new HashSet<>();
    for (Route r : d.routes()) {
      wantedRouteKeys.add(r.key());
      Route have = ownedRoutes.get(r.key());
      if (have == null) {
        ops.add(Op.ip("route add " + r.render(), "route del " + r.render()));
      } else if (!have.render().equals(r.render())) {
        ops.add(Op.ip("route replace " + r.render(), "route replace " + have.render()));
      }
    }
    Set<String> ownedRules = new HashSet<>();
    k.rules().stream().filter(r -> r.protocol() == Planner.PROTO).forEach(r -> ownedRules.add(r.render()));
    Set<String> wantedRules = new HashSet<>();
    List<Rule> rules = new ArrayList<>(d.rules());
    rules.sort(Comparator.comparingInt(Rule::priority));
    for (Rule r : rules) {
      wantedRules.add(r.render());
      if (!ownedRules.contains(r.render())) {
        ops.add(Op.ip("rule add " + r.render(), "rule del " + r.render()));
      }
    }
    Set<String> devs = new HashSet<>();
    k.links().stream().filter(Link::up).forEach(l -> devs.add(l.name())); // a down link takes no route
    for (Route r : owned.mainRoutesRemoved()) {
      boolean stillRemoved = d.mainRemovalTargets().contains(r.dst() + " " + r.dev());
      boolean present = k.routes().stream().anyMatch(x -> x.key().equals(r.key()) && r.dev().equals(x.dev()));
      if (!stillRemoved && !present && devs.contains(r.dev()) && hasSource(k, r)) {
        ops.add(restore(r));
      }
    }
    for (Rule r : k.rules()) {
      if (r.protocol() == Planner.PROTO && !wantedRules.contains(r.render())) {
        ops.add(Op.ip("rule del " + r.render(), "rule add " + r.render()));
      }
    }
    for (Route r : ownedRoutes.values()) {
      if (!wantedRouteKeys.contains(r.key())) {
        ops.add(Op.ip("route del " + r.render(), "route add " + r.render()));
      }
    }
    for (int i = d.addressesToRemove().size() - 1; i >= 0; i--) {
      String[] a = d.addressesToRemove().get(i);
      ops.add(Op.ip("address del " + a[1] + " dev " + a[0], "address add " + a[1] + " dev " + a[0] + " noprefixroute"));
    }
    for (Route r : d.mainRemovals()) {
      ops.add(restore(r).inverted());
    }
    return ops;
  }

  /** Everything eniroute owns or changed, undone: what {@code revert} runs. */
  public List<Op> revert(KernelState k, OwnershipState owned) {
    List<Op> ops = new ArrayList<>();
    owned.sysctlsBefore().forEach((key, value) -> {
      String now = k.sysctls().get(key);
      if (now != null && !now.equals(value)) {
        ops.add(Op.sysctl(key, value, now));
      }
    });
    Set<String> devs = new HashSet<>();
    k.links().stream().filter(Link::up).forEach(l -> devs.add(l.name())); // a down link takes no route
    for (Route r : owned.mainRoutesRemoved()) {
      boolean present = k.routes().stream().anyMatch(x -> x.key().equals(r.key()) && r.dev().equals(x.dev()));
      if (!present && devs.contains(r.dev()) && hasSource(k, r)) {
        ops.add(restore(r));
      }
    }
    for (Rule r : k.rules()) {
      if (r.protocol() == Planner.PROTO) {
        ops.add(Op.ip("rule del " + r.render(), "rule add " + r.render()));
      }
    }
    for (Route r : k.routes()) {
      if (r.protocol() == Planner.PROTO) {
        ops.add(Op.ip("route del " + r.render(), "route add " + r.render()));
      }
    }
    // Newest first: deleting an interface's first address of a subnet takes the later ones (the kernel's
    // secondaries) with it, and a del of an address already gone fails the batch.
    List<List<String>> added = new ArrayList<>(owned.addressesAdded());
    Collections.reverse(added);
    for (List<String> a : added) {
      String dev = a.get(0);
      String cidr = a.get(1);
      boolean present = k.addresses().stream()
          .anyMatch(x -> x.dev().equals(dev) && x.address().equals(Ipv4.addressOf(cidr)));
      if (present) {
        ops.add(Op.ip("address del " + cidr + " dev " + dev, "address add " + cidr + " dev " + dev + " noprefixroute"));
      }
    }
    for (String dev : owned.linksBroughtUp()) {
      if (k.links().stream().anyMatch(l -> l.name().equals(dev) && l.up())) {
        ops.add(Op.ip("link set dev " + dev + " down", "link set dev " + dev + " up"));
      }
    }
    return ops;
  }

  /**
   * Puts a removed main route back. {@code append}, like the kernel's own prefix routes: {@code add}
   * refuses a second route to the same subnet with the same metric (File exists).
   */
  private static Op restore(Route r) {
    return Op.ip("route append " + r.render(), "route del " + r.render());
  }

  private static boolean hasSource(KernelState k, Route r) {
    return r.prefsrc() == null || k.addresses().stream().map(Address::address).anyMatch(r.prefsrc()::equals);
  }

  private static void checkForeign(Desired d, KernelState k) {
    for (Rule r : k.rules()) {
      String user = d.ownedPriorities().get(r.priority());
      if (r.protocol() != Planner.PROTO && user != null) {
        throw new PlanException(PlanException.FOREIGN_CONFLICT, "foreign " + r.describe() + " sits at priority "
            + r.priority() + ", which eniroute needs for " + user
            + "; remove that rule or move eniroute with spec.routing.priorityBase");
      }
    }
    for (Route r : k.routes()) {
      String user = d.ownedTables().get(r.table());
      if (r.protocol() != Planner.PROTO && user != null) {
        throw new PlanException(PlanException.FOREIGN_CONFLICT, "foreign route " + r.render() + " is in table "
            + r.table() + ", which eniroute needs for " + user
            + "; remove that route or move eniroute with spec.routing.tableBase");
      }
    }
  }
}
