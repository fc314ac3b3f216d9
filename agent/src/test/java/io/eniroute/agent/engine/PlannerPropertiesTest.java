package io.eniroute.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.agent.kernel.Address;
import io.eniroute.agent.kernel.KernelState;
import io.eniroute.agent.kernel.Link;
import io.eniroute.agent.kernel.Route;
import io.eniroute.agent.kernel.Rule;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.crds.v1alpha1.MainTableMode;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.crds.v1alpha1.RpFilterMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Planner and differ properties on random hosts, against the simulated kernel. */
class PlannerPropertiesTest {

  /**
   * A random host: interfaces, naive addresses, foreign rules/routes, leftovers of an older config,
   * and (ec2) spec.addresses as the operator writes them: EC2 numbering on up to 3 cards at the
   * edges of the index range (0, 1, 98, 99) and a secondary address to add.
   */
  record Host(int interfaces, long seed, boolean foreign, boolean stale, boolean primaryRules,
      MainTableMode mainTable, RpFilterMode rp, boolean docker) {

    /** Half the hosts (by the seed's low bit: jqwik combines at most 8 arbitraries). */
    boolean ec2() {
      return (seed & 1) == 0;
    }

    FakeKernel build() {
      Random rnd = new Random(seed);
      FakeKernel k = new FakeKernel();
      k.links.add(new Link(1, "lo", "00:00:00:00:00:00", null, null, true, true));
      int host = 10;
      for (int i = 0; i < interfaces; i++) {
        String dev = "eth" + i;
        k.links.add(new Link(2 + i, dev, String.format("0a:00:00:00:00:%02x", i), rnd.nextBoolean() ? null : "veth",
            null, false, true));
        int n = rnd.nextInt(4);
        for (int j = 0; j < n; j++) {
          k.exec("address add 10.0.0." + (host++) + "/24 dev " + dev);
        }
        sys(k, dev, rnd);
      }
      sys(k, "lo", rnd);
      if (k.addresses.stream().anyMatch(a -> a.dev().equals("eth0"))) {
        k.exec("route add default via 10.0.0.1 dev eth0 table 254 proto 3");
      }
      if (docker) {
        k.links.add(new Link(50, "docker0", "02:42:00:00:00:01", "bridge", null, false, true));
        k.exec("address add 172.17.0.1/16 dev docker0");
      }
      if (foreign) {
        k.rules.add(new Rule(512, "10.0.0.99/32", null, 2L, 0, false));
        k.rules.add(new Rule(1024, null, "10.0.0.98/32", 254L, 0, false));
        k.rules.add(new Rule(rnd.nextBoolean() ? 10001 : 20001, "10.0.0.97/32", null, 3L, 4, false));
        if (rnd.nextBoolean() && !k.addresses.isEmpty()) {
          k.routes.add(new Route(rnd.nextBoolean() ? 10000 : 2, "192.0.2.0/24", null, "eth0", 253, null, 3, 0));
        }
      }
      if (stale) {
        k.rules.add(new Rule(10007, "10.0.0.200/32", null, 10007L, Planner.PROTO, false));
        k.routes.add(new Route(10007, "10.0.0.0/24", null, "eth0", 253, null, Planner.PROTO, 0));
      }
      return k;
    }

    NodeNetworkConfigSpec spec() {
      NodeNetworkConfigSpec s = new NodeNetworkConfigSpec();
      s.getInterfaces().setPrimaryRules(primaryRules);
      s.getRouting().setMainTable(mainTable);
      s.getRouting().setRpFilter(rp);
      if (docker) {
        s.getRouting().setMainDestinations(List.of("172.17.0.0/16"));
      }
      if (ec2()) {
        Random rnd = new Random(seed ^ 0x5eed);
        List<int[]> slots = new ArrayList<>();
        for (int card = 0; card < 3; card++) {
          for (int index : new int[] {0, 1, 98, 99}) {
            slots.add(new int[] {card, index});
          }
        }
        java.util.Collections.shuffle(slots, rnd);
        List<InterfaceAddresses> entries = new ArrayList<>();
        for (int i = 0; i < interfaces; i++) {
          if (rnd.nextInt(4) == 0) {
            continue; // not every interface is listed: the rest are numbered by the kernel's order
          }
          InterfaceAddresses a = new InterfaceAddresses(String.format("0a:00:00:00:00:%02x", i),
              rnd.nextBoolean() ? List.of("10.0.0." + (200 + i) + "/24") : List.of());
          a.setNetworkCard(slots.get(i)[0]);
          a.setDeviceIndex(slots.get(i)[1]);
          entries.add(a);
        }
        s.setAddresses(entries);
      }
      return s;
    }

    private static void sys(FakeKernel k, String dev, Random rnd) {
      k.sysctls.put(KernelState.sysctlKey(dev, "rp_filter"), String.valueOf(rnd.nextInt(3)));
      k.sysctls.put(KernelState.sysctlKey(dev, "arp_ignore"), "0");
      k.sysctls.put(KernelState.sysctlKey(dev, "arp_announce"), "0");
    }
  }

  @Provide
  Arbitrary<Host> hosts() {
    return Combinators.combine(Arbitraries.integers().between(1, 5), Arbitraries.longs(), Arbitraries.of(true, false),
            Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(MainTableMode.class),
            Arbitraries.of(RpFilterMode.class), Arbitraries.of(true, false))
        .as(Host::new);
  }

  private final Planner planner = new Planner();
  private final Differ differ = new Differ();

  @Property(tries = 300)
  void applyingThePlanLeavesNothingToDo(@ForAll("hosts") Host h) throws Exception {
    FakeKernel k = h.build();
    KernelState before = k.observe();
    Path dir = Files.createTempDirectory("eniroute-prop");
    RoutingEngine engine = new RoutingEngine(k, new StateStore(dir, "fake"));
    var report = engine.reconcile(h.spec());
    Statistics.collect(report.outcome(), report.kernelWrites() > 0 ? "writes" : "no writes",
        h.ec2() ? "spec.addresses" : "kernel order");
    if (report.outcome() == Outcome.FAILED) {
      assertThat(report.reason()).as(report.message()).isEqualTo("ForeignConflict");
      assertThat(k.observe()).as("a refused config changes nothing").isEqualTo(before);
      return;
    }
    KernelState after = k.observe();
    assertThat(differ.diff(planner.plan(h.spec(), after), after, engine.store().load())).isEmpty();
    int writes = k.writes;
    assertThat(engine.reconcile(h.spec()).outcome()).isEqualTo(Outcome.NO_CHANGE);
    assertThat(k.writes).isEqualTo(writes);

    assertThat(engine.revert().outcome()).isEqualTo(Outcome.REVERTED);
    KernelState reverted = k.observe();
    assertThat(new HashSet<>(reverted.rules())).isEqualTo(withoutStale(before.rules()));
    assertThat(new HashSet<>(reverted.routes())).isEqualTo(withoutStaleRoutes(before.routes()));
    assertThat(new HashSet<>(reverted.addresses())).isEqualTo(new HashSet<>(before.addresses()));
    assertThat(reverted.sysctls()).isEqualTo(before.sysctls());
  }

  @Property(tries = 300)
  void noTwoRulesCollideAndEachPriorityLooksUpOneTable(@ForAll("hosts") Host h) {
    KernelState k = h.build().observe();
    Desired d = planner.plan(h.spec(), k);
    Set<String> seen = new HashSet<>();
    Map<Integer, Long> tableOf = new HashMap<>();
    Map<String, Integer> ruleForSource = new HashMap<>();
    for (Rule r : d.rules()) {
      assertThat(seen.add(r.render())).as("duplicate %s", r.render()).isTrue();
      Long prev = tableOf.put(r.priority(), r.table());
      assertThat(prev == null || prev.equals(r.table())).as("priority %d used for two tables", r.priority()).isTrue();
      if (r.from() != null) {
        assertThat(ruleForSource.put(r.from(), r.priority())).as("two rules for source %s", r.from()).isNull();
      }
      assertThat(r.priority()).isLessThan(32766);
    }
    Set<Long> tables = new HashSet<>();
    d.selection().managed().stream().filter(ManagedInterface::hasTable)
        .forEach(m -> assertThat(tables.add(m.table())).as("table %d twice", m.table()).isTrue());
  }

  @Property(tries = 300)
  void neverDeletesAForeignObject(@ForAll("hosts") Host h) {
    KernelState k = h.build().observe();
    Desired d;
    List<Op> ops;
    try {
      d = planner.plan(h.spec(), k);
      ops = differ.diff(d, k, OwnershipState.empty());
    } catch (PlanException e) {
      assertThat(e.reason()).isEqualTo("ForeignConflict");
      return;
    }
    List<String> allowedMainDeletes = new ArrayList<>();
    d.mainRemovals().forEach(r -> allowedMainDeletes.add("route del " + r.render()));
    for (Op op : ops) {
      String c = op.command();
      if (c.startsWith("rule del")) {
        assertThat(c).endsWith("protocol " + Planner.PROTO);
      } else if (c.startsWith("route del")) {
        assertThat(c.contains(" proto " + Planner.PROTO) || allowedMainDeletes.contains(c)).as(c).isTrue();
      } else if (c.startsWith("address del") || c.startsWith("route replace")) {
        assertThat(c).as("the first plan never removes an address nor replaces a foreign route")
            .satisfiesAnyOf(x -> assertThat(x).contains(" proto " + Planner.PROTO));
      }
    }
    for (Route r : d.mainRemovals()) {
      assertThat(r.table()).isEqualTo(Route.MAIN);
      ManagedInterface m = d.selection().managed().stream().filter(x -> x.name().equals(r.dev())).findFirst().orElseThrow();
      assertThat(m.primary()).as("the primary's subnet route stays").isFalse();
      assertThat(r.dst()).isEqualTo(m.subnet());
    }
  }

  private static Set<Rule> withoutStale(List<Rule> rules) {
    Set<Rule> out = new HashSet<>(rules);
    out.removeIf(r -> r.protocol() == Planner.PROTO);
    return out;
  }

  private static Set<Route> withoutStaleRoutes(List<Route> routes) {
    Set<Route> out = new HashSet<>(routes);
    out.removeIf(r -> r.protocol() == Planner.PROTO);
    return out;
  }

}
