package io.eniroute.agent.bench;

import io.eniroute.agent.engine.BatchApplier;
import io.eniroute.agent.engine.Differ;
import io.eniroute.agent.engine.Planner;
import io.eniroute.agent.kernel.KernelState;
import io.eniroute.agent.engine.Op;
import io.eniroute.agent.engine.PlanResult;
import io.eniroute.agent.engine.RoutingEngine;
import io.eniroute.agent.kernel.ProcessRunner;
import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bin/bench agent-apply [REPS] [INTERFACES] [ADDRESSES]}: the largest EC2 shape (15 ENIs x
 * 50 addresses: 750 rules, 30 routes) in a fresh lab node. In one run, on the same namespace:
 * the agent's full apply (observe, plan, one batch, observe again, verify), its no-op reconcile,
 * and the baselines running the very same commands with one {@code ip -batch} and with one
 * {@code ip} process per command. Prints medians and ratios.
 */
public final class ApplyBenchmark {
  private ApplyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int ifaces = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int addrs = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    try (Lab lab = Lab.create()) {
      String ns = lab.addNode("bench");
      List<String> naive = new ArrayList<>();
      for (int i = 0; i < ifaces; i++) {
        String mac = lab.macFor(i);
        lab.attachEni("bench", "eth" + i, mac);
        List<String> list = new ArrayList<>();
        for (int j = 0; j < addrs; j++) {
          // 750 addresses do not fit the lab's /24: one /16 subnet, no traffic is sent here
          String a = "10.0." + (1 + i) + "." + (10 + j);
          list.add(a);
          naive.add("addr add " + a + "/16 dev eth" + i);
        }
      }
      naive.add("route add default via 10.0.0.1 dev eth0");
      lab.ipBatch("bench", naive.toArray(String[]::new));

      Path state = Files.createTempDirectory("eniroute-bench");
      RoutingEngine engine = RoutingEngine.create(ns, state);
      BatchApplier applier = new BatchApplier(engine.kernel());
      ProcessRunner runner = new ProcessRunner();
      NodeNetworkConfigSpec spec = new NodeNetworkConfigSpec();
      PlanResult plan = engine.plan(spec);
      if (!plan.ok()) {
        throw new IllegalStateException(plan.message());
      }
      List<Op> ops = plan.ops();
      List<String> ipLines = ops.stream().filter(o -> o.kind() == Op.Kind.IP).map(Op::command).toList();
      List<Op> sysctls = ops.stream().filter(o -> o.kind() == Op.Kind.SYSCTL).toList();

      double[] apply = new double[reps];
      double[] batch = new double[reps];
      double[] perProcess = new double[reps];
      List<Double> noop = new ArrayList<>();
      List<Double> observe = new ArrayList<>();
      List<Double> planDiff = new ArrayList<>();
      List<Double> trivial = new ArrayList<>();
      List<Double> coldNoop = new ArrayList<>();
      Planner planner = new Planner();
      Differ differ = new Differ();
      String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
      // Warm-up (JIT, page cache), not counted: one apply, a few no-op reconciles, one revert.
      check(engine.reconcile(spec), Outcome.APPLIED);
      for (int i = 0; i < 5; i++) {
        check(engine.reconcile(spec), Outcome.NO_CHANGE);
      }
      check(engine.revert(), Outcome.REVERTED);
      for (int r = 0; r < reps; r++) {
        long t = System.nanoTime();
        ApplyReport rep = engine.reconcile(spec);
        apply[r] = ms(t);
        check(rep, Outcome.APPLIED);
        for (int i = 0; i < 10; i++) {
          t = System.nanoTime();
          ApplyReport again = engine.reconcile(spec);
          noop.add(ms(t));
          check(again, Outcome.NO_CHANGE);
          t = System.nanoTime();
          KernelState k = engine.kernel().observe();
          observe.add(ms(t));
          t = System.nanoTime();
          List<Op> none = differ.diff(planner.plan(spec, k), k, engine.store().load());
          planDiff.add(ms(t));
          t = System.nanoTime();
          run(runner, List.of("ip", "-n", ns, "link", "show", "lo"), null);
          trivial.add(ms(t));
          if (!none.isEmpty()) {
            throw new IllegalStateException("no-op plan is not empty: " + none.get(0));
          }
          if (i % 2 == 0) {
            // the first pass after the observation co-processes stopped (idle, or a new agent)
            engine.kernel().close();
            t = System.nanoTime();
            check(engine.reconcile(spec), Outcome.NO_CHANGE);
            coldNoop.add(ms(t));
          }
        }
        check(engine.revert(), Outcome.REVERTED);

        // Baseline 1: the same commands, one ip -batch (plus the same single sysctl write).
        t = System.nanoTime();
        run(runner, List.of("ip", "-n", ns, "-batch", "-"), String.join("\n", ipLines) + "\n");
        engine.kernel().writeSysctls(values(sysctls));
        batch[r] = ms(t);
        applier.undoAll(ops);

        // Baseline 2: one ip (or sysctl) process per command, as a shell script would do it.
        t = System.nanoTime();
        for (String line : ipLines) {
          List<String> argv = new ArrayList<>(List.of("ip", "-n", ns));
          argv.addAll(Arrays.asList(line.split(" ")));
          run(runner, argv, null);
        }
        for (Op s : sysctls) {
          String kv = s.command();
          run(runner, List.of("ip", "netns", "exec", ns, "sh", "-c",
              "printf %s \"$2\" > \"/proc/sys/$1\"", "sh", kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1)), null);
        }
        perProcess[r] = ms(t);
        applier.undoAll(ops);
        if (!engine.plan(spec).ops().equals(ops)) {
          throw new IllegalStateException("the baselines did not leave the node as they found it");
        }
      }
      double a = median(apply);
      double b = median(batch);
      double p = median(perProcess);
      double n = median(noop.stream().mapToDouble(Double::doubleValue).toArray());
      double o = median(observe.stream().mapToDouble(Double::doubleValue).toArray());
      double pd = median(planDiff.stream().mapToDouble(Double::doubleValue).toArray());
      double cn = median(coldNoop.stream().mapToDouble(Double::doubleValue).toArray());
      double tr = median(trivial.stream().mapToDouble(Double::doubleValue).toArray());
      System.out.printf("agent-apply: %d interfaces x %d addresses: %d iproute2 commands + %d sysctl writes, %d repetitions%n",
          ifaces, addrs, ipLines.size(), sysctls.size(), reps);
      System.out.printf("  full apply (observe, plan, 1 batch, observe, verify)  median %8.1f ms%n", a);
      System.out.printf("  baseline: same commands in one ip -batch             median %8.1f ms   apply / ip-batch = %.2fx (target <= 3x)%n", b, a / b);
      System.out.printf("  baseline: one ip process per command                 median %8.1f ms   per-process / apply = %.1fx%n", p, p / a);
      System.out.printf("  no-op reconcile (observe + diff, 0 writes)           median %8.1f ms   (target < 30 ms; %d samples)%n", n, noop.size());
      System.out.printf("  no-op, co-processes started anew (after idle stop)   median %8.1f ms   (%d samples)%n", cn, coldNoop.size());
      System.out.printf("  observe alone (warm ip -json -batch + netns shell)   median %8.1f ms%n", o);
      System.out.printf("  plan + diff alone (in the JVM, no process)           median %8.1f ms%n", pd);
      System.out.printf("  reference: one trivial process (ip link show lo)     median %8.1f ms   no-op / trivial process = %.1fx%n", tr, n / tr);
      System.out.printf("  machine: %d cores, load average before %s, after %s%n", Runtime.getRuntime().availableProcessors(),
          loadBefore, Files.readString(Path.of("/proc/loadavg")).strip());
    }
  }

  private static void check(ApplyReport r, Outcome expected) {
    if (r.outcome() != expected) {
      throw new IllegalStateException("expected " + expected + " but got " + r.outcome() + ": " + r.message());
    }
  }

  private static void run(ProcessRunner runner, List<String> argv, String stdin) {
    ProcessRunner.Result r = runner.run(argv, stdin);
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + ": " + r.err());
    }
  }

  private static java.util.Map<String, String> values(List<Op> sysctls) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (Op s : sysctls) {
      String kv = s.command();
      m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    return m;
  }

  private static double ms(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
