package io.eniroute.agent.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.agent.LabPerClass;
import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.agent.engine.RoutingEngine;
import io.eniroute.agent.engine.StateStore;
import io.eniroute.agent.kernel.IpKernel;
import io.eniroute.agent.kernel.Kernel;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent killed at every step of a first apply, a change, a rollback and a revert (before and
 * after the journal and ownership writes, at every line of every batch, before every journal
 * commit), a kernel that refuses each line of a batch in turn, and one that refuses the whole
 * rollback. After each fault a new agent (nothing in memory, the same state directory) takes
 * over; every point must end converged, with every address reachable, a status a person can act
 * on, and, after a revert, the node exactly as before eniroute (nothing leaked).
 *
 * <p>"Killed" is in-process: at the chosen step a {@link CrashingKernel.Crash} unwinds the agent
 * without running another line of it, leaving the kernel and the state directory as SIGKILL
 * would. CrashLabTest kills a real agent process (Runtime.halt) at the named points.
 */
class FaultCampaignLabTest extends LabPerClass {
  @TempDir Path dir;

  private SeedNode n;
  private String naive;
  private Map<String, String> naiveSysctls;
  private List<String> answeredNaive;
  private final List<String> failures = new ArrayList<>();
  private int tried;
  private int converged;
  private int leaked;
  private int unreachable;
  private int unclear;

  static NodeNetworkConfigSpec good() {
    NodeNetworkConfigSpec s = SeedNode.goodSpec();
    s.getSafety().setProbeTimeoutSeconds(1);
    return s;
  }

  static NodeNetworkConfigSpec changed() {
    NodeNetworkConfigSpec s = good();
    s.getRouting().setMainDestinations(List.of("172.17.0.0/16"));
    return s;
  }

  /** Breaks every gateway probe: rolled back. */
  static NodeNetworkConfigSpec broken() {
    NodeNetworkConfigSpec s = good();
    s.getRouting().setGateway("10.0.0.254");
    return s;
  }

  private SafeNodeRouting agent(Kernel k, Path state, CrashPoint crash) {
    RoutingEngine engine = new RoutingEngine(k, new StateStore(state, k.netns()));
    return new SafeNodeRouting(engine, Journal.forTarget(state, k.netns()), new ProbeCheck(new KernelProber(k.netns())),
        new ProbeTargets(Optional.empty()), crash, spec -> engine.plan(spec).interfaces());
  }

  @Test
  void killedAtEveryStepOrRefusedByTheKernelTheNodeEndsConvergedReachableAndCleanAfterRevert() throws Exception {
    n = new SeedNode(lab, "fault");
    try (IpKernel k = new IpKernel(n.netns)) {
      naive = n.dump();
      naiveSysctls = managedSysctls(k);
      answeredNaive = SeedNode.ADDRESSES.stream().filter(a -> !n.silentAddresses().contains(a)).toList();

      killEverywhere(k, "first apply", null, s -> s.reconcile(good()), good(), false);
      killEverywhere(k, "change", good(), s -> s.reconcile(changed()), changed(), false);
      killEverywhere(k, "rollback", good(), s -> s.reconcile(broken()), broken(), true);
      killEverywhere(k, "revert", changed(), SafeNodeRouting::revert, null, false);
      killEverywhere(k, "recovery of a change killed after its batch", good(), s -> s.reconcile(changed()), changed(),
          false, true);
      refuseEachLine(k);
      refuseTheRollback(k);
    }
    System.out.printf("fault campaign: %d points tried, %d converged, %d leaked, %d unreachable, %d unclear status%n",
        tried, converged, leaked, unreachable, unclear);
    failures.forEach(f -> System.out.println("  " + f));
    assertThat(failures).isEmpty();
    assertThat(tried).isGreaterThan(30);
    assertThat(converged).isEqualTo(tried);
  }

  /**
   * From {@code start} (null: the naive node), runs {@code act} once to count its steps, then
   * once per step killed there; a new agent then asks for {@code desired} (null: revert).
   */
  private void killEverywhere(IpKernel k, String what, NodeNetworkConfigSpec start,
      Function<SafeNodeRouting, ApplyReport> act, NodeNetworkConfigSpec desired, boolean rejected) throws Exception {
    killEverywhere(k, what, start, act, desired, rejected, false);
  }

  /**
   * @param interrupted the set-up also starts the change to {@code desired} and kills it right
   *     after its batch (journal IN_PROGRESS): {@code act} is then the recovery, killed at each step
   */
  private void killEverywhere(IpKernel k, String what, NodeNetworkConfigSpec start,
      Function<SafeNodeRouting, ApplyReport> act, NodeNetworkConfigSpec desired, boolean rejected, boolean interrupted)
      throws Exception {
    Path dry = Files.createTempDirectory(dir, "dry");
    String startDump = setUp(k, dry, start);
    if (interrupted) {
      interruptAfterApply(k, dry, desired);
    }
    CrashingKernel counting = new CrashingKernel(k, 0);
    act.apply(agent(counting, dry, counting.points()));
    int steps = counting.steps();
    agent(k, dry, CrashPoint.NONE).revert();
    System.out.printf("fault campaign: %s has %d steps, killing the agent at each%n", what, steps);
    for (int step = 1; step <= steps; step++) {
      Path state = Files.createTempDirectory(dir, "p");
      setUp(k, state, start);
      if (interrupted) {
        interruptAfterApply(k, state, desired);
      }
      CrashingKernel dying = new CrashingKernel(k, step);
      try {
        act.apply(agent(dying, state, dying.points()));
      } catch (CrashingKernel.Crash expected) {
        // the agent died there
      }
      String label = what + ", killed at step " + step + "/" + steps + " (" + dying.crashedAt() + ")";
      SafeNodeRouting next = agent(k, state, CrashPoint.NONE); // a restart: nothing in memory
      ApplyReport r = desired == null ? next.revert() : next.reconcile(desired);
      boolean ok;
      if (desired == null) {
        ok = r.outcome() == Outcome.REVERTED && n.dump().equals(naive) && next.committedSpec().isEmpty();
      } else if (rejected) {
        ok = r.outcome() == Outcome.ROLLED_BACK && n.dump().equals(startDump);
      } else {
        ok = r.ok() && next.reconcile(desired).outcome() == Outcome.NO_CHANGE && next.committedSpec().isPresent();
      }
      judge(k, label, r, ok, next, desired == null);
    }
  }

  /** A kernel that refuses line N of the first apply's batch, for every N: nothing applied, then a clean apply. */
  private void refuseEachLine(IpKernel k) throws Exception {
    for (int step = 1; ; step++) {
      Path state = Files.createTempDirectory(dir, "r");
      CrashingKernel refusing = new CrashingKernel(k, 0, step, null);
      ApplyReport r = agent(refusing, state, refusing.points()).reconcile(good());
      if (refusing.refused() == null) {
        if (r.ok()) {
          agent(k, state, CrashPoint.NONE).revert();
        }
        if (refusing.steps() < step) {
          return; // past the last line
        }
        continue; // that step was not a batch line
      }
      String label = "first apply, kernel refused '" + refusing.refused() + "'";
      boolean asBefore = r.outcome() == Outcome.FAILED && "KernelError".equals(r.reason()) && n.dump().equals(naive);
      SafeNodeRouting next = agent(k, state, CrashPoint.NONE);
      ApplyReport again = next.reconcile(good());
      actionable(label + " (the refusal)", r);
      judge(k, label, again, asBefore && again.outcome() == Outcome.APPLIED, next, false);
    }
  }

  /** The kernel refuses every line of the rollback: RollbackFailed, then the next pass rolls back. */
  private void refuseTheRollback(IpKernel k) throws Exception {
    Path state = Files.createTempDirectory(dir, "rb");
    String startDump = setUp(k, state, good());
    CrashingKernel refusing = new CrashingKernel(k, 0, 0, CrashPoint.AFTER_APPLY);
    SafeNodeRouting agent = agent(refusing, state, refusing.points());
    ApplyReport failed = agent.reconcile(broken());
    actionable("rollback refused by the kernel", failed);
    boolean reported = failed.outcome() == Outcome.FAILED && "RollbackFailed".equals(failed.reason())
        && agent.committedSpec().orElseThrow().getRouting().getGateway() == null;
    refusing.refuse = false; // the kernel accepts again
    ApplyReport next = agent.reconcile(broken());
    judge(k, "rollback refused by the kernel, then accepted", next,
        reported && next.outcome() == Outcome.ROLLED_BACK && n.dump().equals(startDump), agent, false);
  }

  /** Starts the change to {@code spec} and kills it once its batch is in the kernel, before probes and commit. */
  private void interruptAfterApply(IpKernel k, Path state, NodeNetworkConfigSpec spec) {
    CrashPoint afterApply = CrashPoint.observing(p -> {
      if (p.equals(CrashPoint.AFTER_APPLY)) {
        throw new CrashingKernel.Crash(p);
      }
    });
    try {
      agent(k, state, afterApply).reconcile(spec);
      throw new AssertionError("the change to interrupt never reached " + CrashPoint.AFTER_APPLY);
    } catch (CrashingKernel.Crash expected) {
      // journal IN_PROGRESS, the new spec in the kernel
    }
  }

  private String setUp(IpKernel k, Path state, NodeNetworkConfigSpec start) {
    if (start != null) {
      ApplyReport r = agent(k, state, CrashPoint.NONE).reconcile(start);
      assertThat(r.outcome()).as("set-up: %s", r.message()).isEqualTo(Outcome.APPLIED);
    }
    return n.dump();
  }

  /** Counts one point: converged, reachable, clear status; then reverts and checks nothing is left. */
  private void judge(IpKernel k, String label, ApplyReport r, boolean ok, SafeNodeRouting agent, boolean reverted) {
    tried++;
    if (ok) {
      converged++;
    } else {
      failures.add(label + ": not converged: " + r.outcome() + " " + r.reason() + ": " + r.message());
    }
    actionable(label, r);
    List<String> expected = reverted ? answeredNaive : SeedNode.ADDRESSES;
    List<String> silent = expected.stream().filter(a -> !lab.pingFromClient(a, 1, Duration.ofSeconds(2))).toList();
    if (!silent.isEmpty()) {
      unreachable++;
      failures.add(label + ": unreachable " + silent);
    }
    ApplyReport rv = agent.revert();
    if (!rv.ok() || !n.dump().equals(naive) || !managedSysctls(k).equals(naiveSysctls)) {
      leaked++;
      failures.add(label + ": left behind after revert (" + rv.message() + "):\n" + n.dump());
    }
  }

  private void actionable(String label, ApplyReport r) {
    if (r.reason() == null || r.reason().isBlank() || r.message() == null || r.message().isBlank()) {
      unclear++;
      failures.add(label + ": no reason or message in the status: " + r);
    }
  }

  private static Map<String, String> managedSysctls(Kernel k) {
    Map<String, String> out = new TreeMap<>();
    k.sysctls().forEach((key, v) -> {
      if (key.contains("/eth0/") || key.contains("/eth1/") || key.contains("/all/")) {
        out.put(key, v);
      }
    });
    return out;
  }
}
