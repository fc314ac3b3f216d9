package io.eniroute.agent.safety;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.agent.routing.NodeRouting;
import io.eniroute.agent.engine.PlanException;
import io.eniroute.agent.engine.PlanResult;
import io.eniroute.agent.engine.RoutingEngine;
import io.eniroute.agent.engine.StateStore;
import io.eniroute.agent.kernel.IpKernel;
import io.eniroute.agent.kernel.Kernel;
import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.agent.routing.NodeRouting;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.crds.v1alpha1.ProbeResult;
import io.eniroute.crds.v1alpha1.SafetySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commit-confirmed changes around the engine: probe, journal, apply, probe again, and roll back
 * to the last committed spec when a probe that passed before the change fails after it.
 *
 * <ul>
 *   <li>A <em>change</em> (a spec different from the committed one): probes before; journal
 *       IN_PROGRESS (durable); engine reconcile; probes after, waiting only for those that passed
 *       before; commit, or roll back (reconcile the committed spec, or revert when there is none),
 *       probe again and report {@link Outcome#ROLLED_BACK} with reason {@code ProbeFailed}.
 *   <li>A <em>heal</em> (the committed spec again, e.g. after drift): the engine restores a
 *       configuration that already passed its probes, without probing — probing a drifted node
 *       would hold the heal for the probe timeout exactly when the drift broke a probe.
 *   <li>After a crash or a failed rollback, every call (or {@link #recover()}) first finds the
 *       IN_PROGRESS journal and rolls the node back to the committed spec (forward, for an
 *       interrupted revert), so the node ends in the old or the new state, never a mix; until that
 *       succeeds every call reports {@code RecoveryFailed} and changes nothing else.
 * </ul>
 *
 * Thread-safe by serialising calls: one change at a time per node.
 */
public final class SafeNodeRouting implements NodeRouting {
  private static final Logger log = LoggerFactory.getLogger(SafeNodeRouting.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeRouting engine;
  private final Journal journal;
  private final ProbeCheck probes;
  private final ProbeTargets targets;
  private final CrashPoint crash;
  private final Function<NodeNetworkConfigSpec, List<InterfaceStatus>> preview;
  /** The last spec that was rolled back, and why: not retried until the desired spec changes. */
  private NodeNetworkConfigSpec rejected;
  private ApplyReport rejectedReport;

  /**
   * @param engine the engine of one network namespace
   * @param journal that namespace's journal ({@link Journal#forTarget})
   * @param probes runs probe checks ({@code new ProbeCheck(new KernelProber(netns))})
   * @param targets which probes a spec asks for (knows the API server endpoint, if any)
   * @param crash test hook, {@link CrashPoint#NONE} in production
   * @param preview the interfaces a spec would manage, with their gateways, without changing
   *     anything (e.g. {@code spec -> engine.plan(spec).interfaces()}): lets the check before a
   *     node's first change probe interfaces eniroute does not manage yet, so a first change that
   *     breaks an address that worked is caught too; a {@link PlanException} from it refuses the
   *     spec before any probe or journal write (an invalid config costs no probe timeout)
   */
  public SafeNodeRouting(NodeRouting engine, Journal journal, ProbeCheck probes, ProbeTargets targets,
      CrashPoint crash, Function<NodeNetworkConfigSpec, List<InterfaceStatus>> preview) {
    this.engine = engine;
    this.journal = journal;
    this.probes = probes;
    this.targets = targets;
    this.crash = crash;
    this.preview = preview;
  }

  /**
   * The safe routing of one target as the CLI and the cluster agent use it: the engine of
   * {@code netns} (null: the host's own) with its state and journal under {@code stateDir},
   * kernel probes in that namespace, and the API server probe when {@code apiServer} is known.
   */
  public static SafeNodeRouting forTarget(String netns, Path stateDir, Optional<ProbeTargets.HostPort> apiServer) {
    return forTarget(new IpKernel(netns), stateDir, apiServer);
  }

  /** The same over a kernel the caller shares with others (one set of observation processes per agent). */
  public static SafeNodeRouting forTarget(Kernel kernel, Path stateDir, Optional<ProbeTargets.HostPort> apiServer) {
    String netns = kernel.netns();
    RoutingEngine engine = new RoutingEngine(kernel, new StateStore(stateDir, netns));
    return new SafeNodeRouting(engine, Journal.forTarget(stateDir, netns), new ProbeCheck(new KernelProber(netns)),
        new ProbeTargets(apiServer), CrashPoint.fromEnvironment(System.getenv()),
        spec -> {
          PlanResult plan = engine.plan(spec);
          if (plan.reason() != null) {
            throw new PlanException(plan.reason(), plan.message());
          }
          return plan.interfaces();
        });
  }

  /** Without a preview: the check before a change probes only what eniroute already manages. */
  public SafeNodeRouting(NodeRouting engine, Journal journal, ProbeCheck probes, ProbeTargets targets,
      CrashPoint crash) {
    this(engine, journal, probes, targets, crash, spec -> List.of());
  }

  /**
   * Resolves a change that is still IN_PROGRESS in the journal: one a crash interrupted, or one
   * whose rollback failed. Runs on every call while the journal says IN_PROGRESS (not only at
   * start), so no later pass can build on a half-undone change.
   *
   * @return what the recovery did, empty when there was nothing to resolve
   */
  public synchronized Optional<ApplyReport> recover() {
    Optional<Journal.Entry> entry = journal.read();
    if (entry.isEmpty() || entry.get().phase() != Journal.Phase.IN_PROGRESS) {
      return Optional.empty();
    }
    Journal.Entry e = entry.get();
    ApplyReport r;
    if (e.pendingRevert()) {
      log.warn("an interrupted revert was found in {}: finishing it", journal.file());
      r = engine.revert();
      if (r.ok()) {
        crash.reached(CrashPoint.BEFORE_COMMIT);
        journal.commit(null);
      }
    } else {
      log.warn("an interrupted change (a crash, or a rollback that failed) was found in {}: rolling back to the {}", journal.file(),
          e.committed() == null ? "state before eniroute (revert)" : "last committed config");
      r = restore(e.committed());
      if (r.ok()) {
        crash.reached(CrashPoint.BEFORE_COMMIT);
        journal.commit(e.committed());
      }
    }
    log.info("recovery: {} ({} kernel writes)", r.outcome(), r.kernelWrites());
    return Optional.of(r);
  }

  /** The spec that last passed its probes, empty when none (nothing applied, or reverted). */
  public synchronized Optional<NodeNetworkConfigSpec> committedSpec() {
    return journal.committed();
  }

  /**
   * Never throws: anything unexpected (an unreadable journal, a bug) becomes a FAILED report
   * with the reason, and an IN_PROGRESS journal is resolved by the next call.
   */
  @Override
  public synchronized ApplyReport reconcile(NodeNetworkConfigSpec spec) {
    long t0 = System.nanoTime();
    try {
      return change(spec, t0);
    } catch (StateStore.StateException e) {
      log.error("{}", e.getMessage());
      return stateError(e, t0);
    } catch (RuntimeException e) {
      log.error("reconcile failed unexpectedly", e);
      return new ApplyReport(Outcome.FAILED, 0, millisSince(t0), List.of(), 0, 0, List.of(), "InternalError",
          "the agent could not finish this pass: " + e.getMessage() + "; nothing more was applied and the next"
              + " pass rolls back anything left unfinished");
    }
  }

  private ApplyReport change(NodeNetworkConfigSpec spec, long t0) {
    Optional<ApplyReport> recovery = recover();
    if (recovery.isPresent() && !recovery.get().ok()) {
      return failed(recovery.get(), "RecoveryFailed",
          "could not " + (journal.read().map(Journal.Entry::pendingRevert).orElse(false)
              ? "finish the unfinished revert" : "roll back the unfinished change")
              + " recorded in " + journal.file() + " (" + recovery.get().message() + "); nothing else applied and"
              + " every pass retries it: fix the cause, or run 'eniroute-agent revert' (state: absent) to remove"
              + " everything eniroute owns");
    }
    NodeNetworkConfigSpec committed = journal.committed().orElse(null);
    if (committed != null && same(committed, spec)) {
      return engine.reconcile(spec);
    }
    if (rejected != null && same(rejected, spec)) {
      return stillRejected(committed);
    }
    Duration timeout = timeout(spec);
    List<InterfaceStatus> planned;
    try {
      planned = preview.apply(spec);
    } catch (PlanException e) {
      log.warn("config refused before any probe: {}", e.getMessage());
      return new ApplyReport(Outcome.FAILED, 0, millisSince(t0), List.of(), 0, 0, List.of(), e.reason(), e.getMessage());
    } catch (RuntimeException e) {
      log.debug("no preview of the change: {}", e.toString());
      planned = List.of();
    }

    List<ProbeOutcome> before = probes.run(beforeTargets(spec, planned), timeout);
    Set<String> passedBefore = before.stream().filter(ProbeOutcome::passed).map(ProbeOutcome::name)
        .collect(Collectors.toSet());

    journal.begin(committed, spec);
    crash.reached(CrashPoint.AFTER_JOURNAL);
    ApplyReport applied = engine.reconcile(spec);
    crash.reached(CrashPoint.AFTER_APPLY);

    if (!applied.ok()) {
      // The engine promises the kernel is as before; if it wrote anything, make sure of it. If that
      // fails too, the journal stays IN_PROGRESS and the next call rolls back first (recover).
      if (applied.kernelWrites() > 0) {
        ApplyReport rb = restore(committed);
        if (!rb.ok()) {
          return new ApplyReport(Outcome.FAILED, applied.kernelWrites() + rb.kernelWrites(), millisSince(t0),
              rb.interfaces(), rb.ownedRules(), rb.ownedRoutes(), results(before, passedBefore), "RollbackFailed",
              applied.message() + "; restoring the last committed config failed as well: " + rb.message()
                  + "; the change stays uncommitted and every pass retries the rollback: fix the cause, or run"
                  + " 'eniroute-agent revert' (state: absent) to remove everything eniroute owns");
        }
      }
      crash.reached(CrashPoint.BEFORE_COMMIT);
      journal.commit(committed);
      return withProbes(applied, results(before, passedBefore), applied.durationMillis());
    }
    if (applied.kernelWrites() == 0) {
      crash.reached(CrashPoint.BEFORE_COMMIT);
      journal.commit(spec);
      rejected = null;
      return withProbes(applied, results(before, passedBefore), millisSince(t0));
    }

    List<ProbeTarget> afterTargets = targets.targets(spec, applied.interfaces());
    Set<String> required = afterTargets.stream().map(ProbeTarget::name).filter(passedBefore::contains)
        .collect(Collectors.toSet());
    List<ProbeOutcome> after = probes.run(afterTargets, timeout, required);
    List<ProbeOutcome> broken = after.stream().filter(o -> required.contains(o.name()) && !o.passed()).toList();
    if (broken.isEmpty()) {
      crash.reached(CrashPoint.BEFORE_COMMIT);
      journal.commit(spec);
      rejected = null;
      return withProbes(applied, results(after, passedBefore), millisSince(t0));
    }
    return rollBack(committed, spec, applied, after, broken, passedBefore, timeout, t0);
  }

  private ApplyReport rollBack(NodeNetworkConfigSpec committed, NodeNetworkConfigSpec spec, ApplyReport applied,
      List<ProbeOutcome> after, List<ProbeOutcome> broken, Set<String> passedBefore, Duration timeout, long t0) {
    String why = broken.get(0).message() + (broken.size() > 1 ? " (and " + (broken.size() - 1) + " more)" : "");
    log.warn("change broke connectivity: {}; rolling back", why);
    ApplyReport rb = restore(committed);
    if (!rb.ok()) {
      // The journal stays IN_PROGRESS: every later call retries the rollback before anything else
      // (recover), and the spec is rejected, so no later pass can commit it.
      rejected = spec;
      rejectedReport = new ApplyReport(Outcome.ROLLED_BACK, 0, 0, List.of(), 0, 0, results(after, passedBefore),
          "ProbeFailed", "rolled back to the " + (committed == null ? "state before eniroute" : "last committed config")
              + " because " + why + " (the first rollback attempt failed: " + rb.message() + ")");
      return new ApplyReport(Outcome.FAILED, applied.kernelWrites() + rb.kernelWrites(), millisSince(t0),
          rb.interfaces(), rb.ownedRules(), rb.ownedRoutes(), results(after, passedBefore), "RollbackFailed",
          "the change broke " + why + " and rolling it back failed: " + rb.message() + "; the change stays"
              + " uncommitted and every pass retries the rollback: fix the cause, or run 'eniroute-agent revert'"
              + " (state: absent) to remove everything eniroute owns");
    }
    crash.reached(CrashPoint.BEFORE_COMMIT);
    journal.commit(committed);
    NodeNetworkConfigSpec basis = committed != null ? committed : spec;
    List<ProbeTarget> again = targets.targets(basis, rb.interfaces());
    Set<String> required = again.stream().map(ProbeTarget::name).filter(passedBefore::contains)
        .collect(Collectors.toSet());
    List<ProbeOutcome> check = probes.run(again, timeout, required);
    long ok = check.stream().filter(o -> required.contains(o.name()) && o.passed()).count();
    String msg = "rolled back to the " + (committed == null ? "state before eniroute" : "last committed config")
        + " because " + why + "; after the rollback " + ok + " of " + required.size()
        + " probes that passed before pass again";
    log.warn(msg);
    rejected = spec;
    rejectedReport = new ApplyReport(Outcome.ROLLED_BACK, applied.kernelWrites() + rb.kernelWrites(), millisSince(t0),
        rb.interfaces(), rb.ownedRules(), rb.ownedRoutes(), results(after, passedBefore), "ProbeFailed", msg);
    return rejectedReport;
  }

  /**
   * Asked again for a spec that was rolled back (the drift loop's resync, an unchanged
   * NodeNetworkConfig): retrying would break the node again every period, so keep (heal) the
   * committed state and repeat the verdict until the spec changes.
   */
  private ApplyReport stillRejected(NodeNetworkConfigSpec committed) {
    ApplyReport heal = committed != null ? engine.reconcile(committed) : engine.status();
    ApplyReport r = rejectedReport;
    return new ApplyReport(Outcome.ROLLED_BACK, heal.kernelWrites(), heal.durationMillis(), heal.interfaces(),
        heal.ownedRules(), heal.ownedRoutes(), r.probes(), r.reason(),
        r.message() + " (not retried until the config changes)");
  }

  /**
   * Removes everything eniroute owns. Also the way out of a rollback that keeps failing: a revert
   * resolves any unfinished change by removing it with everything else, so it does not first
   * need the rollback to succeed.
   */
  @Override
  public synchronized ApplyReport revert() {
    long t0 = System.nanoTime();
    try {
      return revertJournaled();
    } catch (StateStore.StateException e) {
      log.error("{}", e.getMessage());
      return stateError(e, t0);
    }
  }

  /** The agent cannot read or write its journal: it changes nothing it could not undo or resume. */
  private static ApplyReport stateError(StateStore.StateException e, long t0) {
    return new ApplyReport(Outcome.FAILED, 0, millisSince(t0), List.of(), 0, 0, List.of(), RoutingEngine.STATE_ERROR,
        e.getMessage());
  }

  private ApplyReport revertJournaled() {
    journal.beginRevert(journal.committed().orElse(null));
    crash.reached(CrashPoint.AFTER_JOURNAL);
    ApplyReport r = engine.revert();
    crash.reached(CrashPoint.AFTER_APPLY);
    if (r.ok()) {
      crash.reached(CrashPoint.BEFORE_COMMIT);
      journal.commit(null);
    }
    return r;
  }

  @Override
  public ApplyReport status() {
    return engine.status();
  }

  /**
   * What to probe before a change: the managed interfaces as they are now (current gateway),
   * plus those the spec would manage that are not managed yet.
   */
  private List<ProbeTarget> beforeTargets(NodeNetworkConfigSpec spec, List<InterfaceStatus> planned) {
    Map<String, ProbeTarget> byName = new LinkedHashMap<>();
    targets.targets(spec, engine.status().interfaces()).forEach(t -> byName.putIfAbsent(t.name(), t));
    targets.targets(spec, planned).forEach(t -> byName.putIfAbsent(t.name(), t));
    return List.copyOf(byName.values());
  }

  private ApplyReport restore(NodeNetworkConfigSpec committed) {
    return committed != null ? engine.reconcile(committed) : engine.revert();
  }

  private static boolean same(NodeNetworkConfigSpec a, NodeNetworkConfigSpec b) {
    return Objects.equals(JSON.valueToTree(a), JSON.valueToTree(b));
  }

  private static Duration timeout(NodeNetworkConfigSpec spec) {
    SafetySettings s = spec.getSafety();
    Integer secs = s == null ? null : s.getProbeTimeoutSeconds();
    return Duration.ofSeconds(secs == null ? 10 : secs);
  }

  private static List<ProbeResult> results(List<ProbeOutcome> outcomes, Set<String> passedBefore) {
    return outcomes.stream()
        .map(o -> new ProbeResult(o.name(), o.passed(), passedBefore.contains(o.name()), o.message(), o.millis()))
        .toList();
  }

  private static ApplyReport withProbes(ApplyReport r, List<ProbeResult> probes, long millis) {
    return new ApplyReport(r.outcome(), r.kernelWrites(), millis, r.interfaces(), r.ownedRules(), r.ownedRoutes(),
        probes, r.reason(), r.message());
  }

  private static ApplyReport failed(ApplyReport r, String reason, String message) {
    return new ApplyReport(Outcome.FAILED, r.kernelWrites(), r.durationMillis(), r.interfaces(), r.ownedRules(),
        r.ownedRoutes(), r.probes(), reason, message);
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
