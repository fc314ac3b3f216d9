package io.eniroute.agent.bench;

import io.eniroute.agent.drift.KernelMonitor;
import io.eniroute.agent.drift.ReconcileLoop;
import io.eniroute.agent.engine.RoutingEngine;
import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.safety.SafeNodeRouting;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Heal and rollback times on the seed's machine in the lab ({@code bin/bench agent-heal [rounds]}).
 *
 * <p>Heal: for each kind of drift, the time from the drift until the routing equals the applied
 * state again, with the agent's loop (kernel monitor + debounce + reconcile). Same-run baseline:
 * the same drift healed by calling the engine directly right after it (the floor: observe, diff,
 * one batch, verify, with zero detection delay). The ratio is what detection and debounce cost.
 * For scale: a periodic-only tool (60 s refresh) heals in 30 s on average.
 *
 * <p>Rollback: a wrong gateway applied through the safe routing (probe timeout 2 s), from the
 * call until it returns RolledBack with the node back in its state; baseline: the same safe
 * routing applying a good change (probes before and after, all passing).
 */
public final class HealBenchmark {
  private static final String[][] DRIFTS = {
      {"flush owned table", "ip route flush table 10001"},
      {"delete owned rule", "ip rule del from 10.0.0.131 lookup 10001"},
      {"re-add duplicate main route", "ip route append 10.0.0.0/24 dev eth1 proto kernel scope link src 10.0.0.130"},
  };

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    try (Lab lab = Lab.create()) {
      String node = "bench";
      String ns = lab.addNode(node);
      lab.attachEni(node, "eth0", lab.macFor(0));
      lab.attachEni(node, "eth1", lab.macFor(1));
      lab.assignAddresses(node, lab.macFor(0), List.of("10.0.0.128", "10.0.0.129"));
      lab.assignAddresses(node, lab.macFor(1), List.of("10.0.0.130", "10.0.0.131"));
      lab.configureNaive(node);
      Path state = Files.createTempDirectory("eniroute-bench");
      NodeNetworkConfigSpec spec = new NodeNetworkConfigSpec();
      spec.getSafety().setProbeTimeoutSeconds(2);

      SafeNodeRouting safe = SafeNodeRouting.forTarget(ns, state, Optional.empty());
      RoutingEngine engine = RoutingEngine.create(ns, state);
      System.out.println("first apply: " + safe.reconcile(spec).outcome());
      String applied = dump(lab, node);

      System.out.printf("%-30s %12s %14s %7s%n", "heal (median of " + rounds + ")", "agent loop", "engine direct", "ratio");
      AtomicBoolean looping = new AtomicBoolean();
      for (String[] drift : DRIFTS) {
        List<Long> direct = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
          long t0 = System.nanoTime();
          lab.exec(node, drift[1].split(" "));
          engine.reconcile(spec);
          direct.add(untilEqual(lab, node, applied, t0));
        }
        List<Long> loop = new ArrayList<>();
        try (ReconcileLoop l = new ReconcileLoop(safe, () -> Optional.of(spec), r -> looping.set(true),
            new KernelMonitor(ns), ReconcileLoop.Timing.defaults().withResync(Duration.ofMinutes(10))).start()) {
          Thread.sleep(1000); // monitor up, first pass done
          for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            lab.exec(node, drift[1].split(" "));
            loop.add(untilEqual(lab, node, applied, t0));
            Thread.sleep(300); // let the verifying pass finish
          }
        }
        long a = median(loop);
        long b = median(direct);
        System.out.printf("%-30s %9d ms %11d ms %6.1fx%n", drift[0], a, b, (double) a / Math.max(1, b));
      }

      System.out.printf("%-30s %12s %14s %7s%n", "change (median of " + rounds + ")", "rolled back", "good change", "ratio");
      NodeNetworkConfigSpec bad = new NodeNetworkConfigSpec();
      bad.getSafety().setProbeTimeoutSeconds(2);
      bad.getRouting().setGateway("10.0.0.254");
      NodeNetworkConfigSpec other = new NodeNetworkConfigSpec();
      other.getSafety().setProbeTimeoutSeconds(2);
      other.getRouting().setMainDestinations(List.of("172.17.0.0/16"));
      List<Long> rollback = new ArrayList<>();
      List<Long> good = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        // A fresh SafeNodeRouting each round: it would not retry a spec it rolled back.
        SafeNodeRouting s = SafeNodeRouting.forTarget(ns, state, Optional.empty());
        ApplyReport r = s.reconcile(bad);
        if (r.outcome() != ApplyReport.Outcome.ROLLED_BACK || !dump(lab, node).equals(applied)) {
          throw new IllegalStateException("expected a rollback to the applied state, got " + r.outcome() + ": " + r.message());
        }
        rollback.add(r.durationMillis());
        ApplyReport g = s.reconcile(other);
        good.add(g.durationMillis());
        s.reconcile(spec);
      }
      long a = median(rollback);
      long b = median(good);
      System.out.printf("%-30s %9d ms %11d ms %6.1fx%n", "wrong gateway (timeout 2 s)", a, b, (double) a / Math.max(1, b));
      engine.revert();
    }
  }

  private static long untilEqual(Lab lab, String node, String applied, long t0) throws InterruptedException {
    long end = t0 + Duration.ofSeconds(30).toNanos();
    while (!dump(lab, node).equals(applied)) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("not healed within 30 s");
      }
      Thread.sleep(5);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static String dump(Lab lab, String node) {
    return lab.exec(node, "ip", "-4", "rule", "show") + lab.exec(node, "ip", "-4", "route", "show", "table", "all")
        .lines().filter(l -> !l.contains("table local")).reduce("", (x, y) -> x + y + "\n");
  }

  private static long median(List<Long> xs) {
    long[] a = xs.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    return a[a.length / 2];
  }
}
