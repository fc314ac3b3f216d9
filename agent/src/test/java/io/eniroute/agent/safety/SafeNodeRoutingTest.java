package io.eniroute.agent.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.agent.routing.NodeRouting;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.crds.v1alpha1.ProbeResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit-confirmed protocol against a fake engine whose "kernel" is the spec last applied. */
class SafeNodeRoutingTest {
  @TempDir Path dir;

  /** A node with eth1 (10.0.0.130, .131, table 10001); the gateway answers when routed via 10.0.0.1. */
  static final class FakeEngine implements NodeRouting {
    String kernelGateway; // null: nothing applied (the naive state, where eth1's addresses fail)
    final List<String> calls = new ArrayList<>();
    /** The next {@code refusals} reconciles toward this gateway fail with a kernel error. */
    String refuse;
    int refusals;
    /** ... and another gateway refused once, leaving its half-undone change in the kernel. */
    String refuseHalfUndone;
    /** A bug: the reconcile toward this gateway throws once, after it changed the kernel. */
    String throwAfterWriting;

    @Override
    public ApplyReport reconcile(NodeNetworkConfigSpec spec) {
      String gw = spec.getRouting().getGateway();
      calls.add("reconcile " + gw);
      if (gw.equals(throwAfterWriting)) {
        throwAfterWriting = null;
        kernelGateway = gw;
        throw new IllegalStateException("index 3 out of bounds for length 3");
      }
      if (gw.equals(refuseHalfUndone)) {
        refuseHalfUndone = null;
        kernelGateway = gw;
        return new ApplyReport(Outcome.FAILED, 4, 3, List.of(), 0, 0, List.of(), "UndoFailed",
            "kernel refused 'rule add ...'; undoing it failed too");
      }
      if (gw.equals(refuse) && refusals > 0) {
        refusals--;
        return new ApplyReport(Outcome.FAILED, 0, 3, List.of(), 0, 0, List.of(), "KernelError",
            "kernel refused 'route replace default via " + gw + "': Network is unreachable");
      }
      int writes = gw.equals(kernelGateway) ? 0 : 5;
      kernelGateway = gw;
      return report(writes == 0 ? Outcome.NO_CHANGE : Outcome.APPLIED, writes, true);
    }

    @Override
    public ApplyReport revert() {
      calls.add("revert");
      int writes = kernelGateway == null ? 0 : 5;
      kernelGateway = null;
      return report(Outcome.REVERTED, writes, false);
    }

    @Override
    public ApplyReport status() {
      return report(Outcome.OBSERVED, 0, kernelGateway != null);
    }

    private ApplyReport report(Outcome o, int writes, boolean managed) {
      InterfaceStatus eth1 = new InterfaceStatus();
      eth1.setName("eth1");
      eth1.setManaged(managed);
      eth1.setAddresses(List.of("10.0.0.130/24", "10.0.0.131/24"));
      eth1.setSubnet("10.0.0.0/24");
      eth1.setTable(10001L);
      eth1.setGateway(managed ? kernelGateway : null);
      return new ApplyReport(o, writes, 3, List.of(eth1), managed ? 2 : 0, managed ? 2 : 0, List.of(), o.name(), "");
    }
  }

  final FakeEngine engine = new FakeEngine();
  final AtomicInteger probeRuns = new AtomicInteger();
  /** Answers when the kernel routes via the real gateway 10.0.0.1 and the probe targets it. */
  final Prober prober = (t, budget) -> {
    probeRuns.incrementAndGet();
    boolean ok = t instanceof ProbeTarget.Gateway g && "10.0.0.1".equals(engine.kernelGateway)
        && g.gateway().equals("10.0.0.1");
    return new ProbeOutcome(t, ok, t.describe() + (ok ? ": ok" : ": no reply in 1s"), ok ? 2 : 1000);
  };

  SafeNodeRouting safe(Journal journal) {
    return new SafeNodeRouting(engine, journal, new ProbeCheck(prober), new ProbeTargets(Optional.empty()),
        CrashPoint.NONE);
  }

  static NodeNetworkConfigSpec spec(String gateway) {
    NodeNetworkConfigSpec s = new NodeNetworkConfigSpec();
    s.getRouting().setGateway(gateway);
    s.getSafety().setProbeTimeoutSeconds(1);
    return s;
  }

  @Test
  void aWrongGatewayThatBreaksAProbeThatPassedBeforeIsRolledBack() {
    Journal journal = Journal.forTarget(dir, "n1");
    SafeNodeRouting safe = safe(journal);
    assertThat(safe.reconcile(spec("10.0.0.1")).outcome()).isEqualTo(Outcome.APPLIED);

    ApplyReport r = safe.reconcile(spec("10.0.0.254"));

    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.reason()).isEqualTo("ProbeFailed");
    assertThat(r.message()).contains("gateway 10.0.0.254 from 10.0.0.130 via table 10001 (eth1): no reply")
        .contains("(and 1 more)").contains("2 of 2 probes that passed before pass again");
    assertThat(engine.kernelGateway).isEqualTo("10.0.0.1");
    assertThat(engine.calls).containsExactly("reconcile 10.0.0.1", "reconcile 10.0.0.254", "reconcile 10.0.0.1");
    assertThat(r.probes()).filteredOn(p -> p.getName().startsWith("gateway:"))
        .extracting(ProbeResult::getName, ProbeResult::getPassed, ProbeResult::getPassedBefore)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("gateway:eth1:10.0.0.130", false, true),
            org.assertj.core.groups.Tuple.tuple("gateway:eth1:10.0.0.131", false, true));
    assertThat(journal.read().orElseThrow().phase()).isEqualTo(Journal.Phase.COMMITTED);
    assertThat(journal.committed().orElseThrow().getRouting().getGateway()).isEqualTo("10.0.0.1");
  }

  @Test
  void aRolledBackSpecIsNotRetriedUntilItChanges() {
    SafeNodeRouting safe = safe(Journal.forTarget(dir, null));
    safe.reconcile(spec("10.0.0.1"));
    safe.reconcile(spec("10.0.0.254"));
    engine.calls.clear();

    ApplyReport again = safe.reconcile(spec("10.0.0.254"));

    assertThat(again.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(again.message()).contains("not retried until the config changes");
    assertThat(engine.calls).containsExactly("reconcile 10.0.0.1");
    assertThat(safe.reconcile(spec("10.0.0.1")).outcome()).isEqualTo(Outcome.NO_CHANGE);
  }

  @Test
  void aFailedRollbackReportsRollbackFailedAndALaterPassRollsBackInsteadOfCommittingTheBrokenSpec() {
    Journal journal = Journal.forTarget(dir, "n1");
    SafeNodeRouting safe = safe(journal);
    safe.reconcile(spec("10.0.0.1"));
    engine.refuse = "10.0.0.1";
    engine.refusals = 1; // the rollback fails once

    ApplyReport failed = safe.reconcile(spec("10.0.0.254"));

    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(failed.reason()).isEqualTo("RollbackFailed");
    assertThat(failed.message()).contains("gateway 10.0.0.254 from 10.0.0.130").contains("Network is unreachable")
        .contains("every pass retries the rollback").contains("eniroute-agent revert");
    assertThat(journal.read().orElseThrow().phase()).isEqualTo(Journal.Phase.IN_PROGRESS);

    ApplyReport next = safe.reconcile(spec("10.0.0.254"));

    assertThat(next.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(next.reason()).isEqualTo("ProbeFailed");
    assertThat(engine.kernelGateway).isEqualTo("10.0.0.1");
    assertThat(journal.read().orElseThrow().phase()).isEqualTo(Journal.Phase.COMMITTED);
    assertThat(journal.committed().orElseThrow().getRouting().getGateway()).isEqualTo("10.0.0.1");
    assertThat(safe.reconcile(spec("10.0.0.254")).outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(journal.committed().orElseThrow().getRouting().getGateway()).isEqualTo("10.0.0.1");
  }

  @Test
  void whileTheRollbackKeepsFailingEveryPassReportsRecoveryFailedAndCommitsNothing() {
    Journal journal = Journal.forTarget(dir, "n1");
    SafeNodeRouting safe = safe(journal);
    safe.reconcile(spec("10.0.0.1"));
    engine.refuse = "10.0.0.1";
    engine.refusals = 3;
    assertThat(safe.reconcile(spec("10.0.0.254")).reason()).isEqualTo("RollbackFailed");

    ApplyReport again = safe.reconcile(spec("10.0.0.254"));
    ApplyReport other = safe.reconcile(spec("10.0.0.9"));

    assertThat(again.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(again.reason()).isEqualTo("RecoveryFailed");
    assertThat(again.message()).contains("Network is unreachable").contains("nothing else applied")
        .contains("eniroute-agent revert");
    assertThat(other.reason()).isEqualTo("RecoveryFailed");
    assertThat(engine.calls).doesNotContain("reconcile 10.0.0.9");
    assertThat(journal.read().orElseThrow().phase()).isEqualTo(Journal.Phase.IN_PROGRESS);
    assertThat(journal.committed().orElseThrow().getRouting().getGateway()).isEqualTo("10.0.0.1");

    ApplyReport healed = safe.reconcile(spec("10.0.0.1")); // the kernel accepts the rollback now
    assertThat(healed.ok()).isTrue();
    assertThat(engine.kernelGateway).isEqualTo("10.0.0.1");
    assertThat(journal.read().orElseThrow().phase()).isEqualTo(Journal.Phase.COMMITTED);
  }

  @Test
  void anEngineFailureWhoseRestoreFailsStaysUncommittedUntilALaterPassRestores() {
    Journal journal = Journal.forTarget(dir, "n1");
    SafeNodeRouting safe = safe(journal);
    safe.reconcile(spec("10.0.0.1"));
    engine.refuseHalfUndone = "10.0.0.254";
    engine.refuse = "10.0.0.1";
    engine.refusals = 1;

    ApplyReport r = safe.reconcile(spec("10.0.0.254"));

    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).isEqualTo("RollbackFailed");
    assertThat(r.message()).contains("undoing it failed too").contains("Network is unreachable");
    assertThat(journal.read().orElseThrow().phase()).isEqualTo(Journal.Phase.IN_PROGRESS);

    safe.reconcile(spec("10.0.0.1"));
    assertThat(engine.kernelGateway).isEqualTo("10.0.0.1");
    assertThat(journal.read().orElseThrow().phase()).isEqualTo(Journal.Phase.COMMITTED);
  }

  @Test
  void aBugThatThrowsMidChangeIsAFailedInternalErrorReportAndTheNextPassRollsBackToTheCommittedSpec() {
    Journal journal = Journal.forTarget(dir, "n1");
    SafeNodeRouting safe = safe(journal);
    safe.reconcile(spec("10.0.0.1"));
    engine.throwAfterWriting = "10.0.0.254";

    ApplyReport r = safe.reconcile(spec("10.0.0.254"));

    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).isEqualTo("InternalError");
    assertThat(r.message()).contains("index 3 out of bounds").contains("the next pass rolls back anything left unfinished");
    assertThat(journal.read().orElseThrow().phase()).as("the change is not committed").isEqualTo(Journal.Phase.IN_PROGRESS);

    engine.calls.clear();
    ApplyReport next = safe.reconcile(spec("10.0.0.1"));

    assertThat(next.ok()).as(next.message()).isTrue();
    assertThat(engine.calls).first().isEqualTo("reconcile 10.0.0.1");
    assertThat(engine.kernelGateway).isEqualTo("10.0.0.1");
    assertThat(journal.read().orElseThrow().phase()).isEqualTo(Journal.Phase.COMMITTED);
    assertThat(journal.committed().orElseThrow().getRouting().getGateway()).isEqualTo("10.0.0.1");
  }

  @Test
  void revertWhileTheRollbackKeepsFailingRemovesEverythingAndEndsTheUnfinishedChange() {
    Journal journal = Journal.forTarget(dir, "n1");
    SafeNodeRouting safe = safe(journal);
    safe.reconcile(spec("10.0.0.1"));
    engine.refuse = "10.0.0.1";
    engine.refusals = 100; // the rollback never succeeds
    assertThat(safe.reconcile(spec("10.0.0.254")).reason()).isEqualTo("RollbackFailed");
    assertThat(safe.reconcile(spec("10.0.0.254")).reason()).isEqualTo("RecoveryFailed");

    ApplyReport reverted = safe.revert();

    assertThat(reverted.outcome()).isEqualTo(Outcome.REVERTED);
    assertThat(engine.kernelGateway).as("nothing of eniroute's is left").isNull();
    assertThat(journal.read().orElseThrow().phase()).isEqualTo(Journal.Phase.COMMITTED);
    assertThat(journal.committed()).as("no spec is committed after a revert").isEmpty();
    engine.refusals = 0;
    ApplyReport fresh = safe.reconcile(spec("10.0.0.1"));
    assertThat(fresh.outcome()).as("the next config applies from scratch, no recovery left: %s", fresh.message())
        .isEqualTo(Outcome.APPLIED);
  }

  @Test
  void aCorruptJournalIsRefusedWithAStatusSayingWhatToDoAndNothingIsApplied() throws Exception {
    Journal journal = Journal.forTarget(dir, "n1");
    java.nio.file.Files.createDirectories(journal.file().getParent());
    java.nio.file.Files.writeString(journal.file(), "{\"phase\": \"IN_PROG");

    ApplyReport r = safe(journal).reconcile(spec("10.0.0.1"));
    ApplyReport rv = safe(journal).revert();

    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).isEqualTo("StateError");
    assertThat(r.message()).contains(journal.file().toString()).contains("unreadable").contains("moved away");
    assertThat(rv.reason()).isEqualTo("StateError");
    assertThat(engine.calls).isEmpty();
  }

  @Test
  void anUnwritableStateDirIsRefusedBeforeAnyKernelWrite() throws Exception {
    java.nio.file.Files.writeString(dir.resolve("netns-n1"), "a file where the state directory should be");
    Journal journal = Journal.forTarget(dir, "n1");

    ApplyReport r = safe(journal).reconcile(spec("10.0.0.1"));

    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).isEqualTo("StateError");
    assertThat(r.message()).contains("cannot write journal").contains("writable");
    assertThat(engine.calls).isEmpty();
    assertThat(engine.kernelGateway).isNull();
  }

  @Test
  void aConfigThePlannerRefusesFailsBeforeAnyProbeOrJournalWrite() {
    Journal journal = Journal.forTarget(dir, "n1");
    SafeNodeRouting safe = new SafeNodeRouting(engine, journal, new ProbeCheck(prober), new ProbeTargets(Optional.empty()),
        CrashPoint.NONE, spec -> {
          throw io.eniroute.agent.engine.PlanException.invalid("spec.interfaces.include[0].name: 'eth[' is not a valid glob");
        });

    ApplyReport r = safe.reconcile(spec("10.0.0.1"));

    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).isEqualTo("InvalidConfig");
    assertThat(r.message()).contains("spec.interfaces.include[0].name");
    assertThat(probeRuns).hasValue(0);
    assertThat(engine.calls).isEmpty();
    assertThat(journal.read()).isEmpty();
  }

  @Test
  void probesThatNeverPassedDoNotBlockTheFirstApply() {
    Journal journal = Journal.forTarget(dir, "n1");
    // Before the first apply nothing answers (the naive state): no probe passed before.
    ApplyReport r = safe(journal).reconcile(spec("10.0.0.1"));
    assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(r.probes()).allSatisfy(p -> assertThat(p.getPassedBefore()).isFalse());
    assertThat(journal.committed()).isPresent();
  }

  @Test
  void aFirstChangeThatBreaksConnectivityIsUndoneByRevert() {
    engine.kernelGateway = "10.0.0.1"; // routed by hand before eniroute, probes pass
    engine.calls.clear();
    ApplyReport r = safe(Journal.forTarget(dir, "n1")).reconcile(spec("10.0.0.254"));
    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.message()).startsWith("rolled back to the state before eniroute");
    assertThat(engine.calls).containsExactly("reconcile 10.0.0.254", "revert");
  }

  @Test
  void healingTheCommittedSpecDoesNotProbe() {
    SafeNodeRouting safe = safe(Journal.forTarget(dir, "n1"));
    safe.reconcile(spec("10.0.0.1"));
    int runs = probeRuns.get();
    engine.kernelGateway = "10.0.0.9"; // drift
    ApplyReport r = safe.reconcile(spec("10.0.0.1"));
    assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(probeRuns.get()).isEqualTo(runs);
  }

  @Test
  void anInterruptedChangeIsRolledBackToTheCommittedSpecOnTheNextStart() {
    Journal journal = Journal.forTarget(dir, "n1");
    journal.begin(spec("10.0.0.1"), spec("10.0.0.254"));
    engine.kernelGateway = "10.0.0.254"; // the crash happened after the batch

    Optional<ApplyReport> r = safe(journal).recover();

    assertThat(r).isPresent();
    assertThat(engine.kernelGateway).isEqualTo("10.0.0.1");
    assertThat(journal.read().orElseThrow().phase()).isEqualTo(Journal.Phase.COMMITTED);
    assertThat(journal.committed().orElseThrow().getRouting().getGateway()).isEqualTo("10.0.0.1");
  }

  @Test
  void anInterruptedFirstChangeIsRevertedAndAnInterruptedRevertIsFinished() {
    Journal journal = Journal.forTarget(dir, "n1");
    journal.begin(null, spec("10.0.0.1"));
    engine.kernelGateway = "10.0.0.1";
    safe(journal).recover();
    assertThat(engine.kernelGateway).isNull();
    assertThat(journal.committed()).isEmpty();

    journal.beginRevert(spec("10.0.0.1"));
    engine.kernelGateway = "10.0.0.1";
    engine.calls.clear();
    // recovery also runs implicitly on the first call
    safe(journal).reconcile(spec("10.0.0.1"));
    assertThat(engine.calls.get(0)).isEqualTo("revert");
    assertThat(journal.committed().orElseThrow().getRouting().getGateway()).isEqualTo("10.0.0.1");
  }

  @Test
  void probeChecksRunInParallelAndStopWaitingForProbesThatAreNotRequired() {
    Prober slow = (t, budget) -> {
      try {
        Thread.sleep(t.name().endsWith(".131") ? 5000 : 300);
      } catch (InterruptedException e) {
        return new ProbeOutcome(t, false, "interrupted", 0);
      }
      return new ProbeOutcome(t, true, "ok", 300);
    };
    List<ProbeTarget> targets = List.of(new ProbeTarget.Gateway("eth1", "10.0.0.130", "10.0.0.1", 10001L),
        new ProbeTarget.Gateway("eth1", "10.0.0.131", "10.0.0.1", 10001L),
        new ProbeTarget.Tcp("tcp:10.0.0.10:443", "10.0.0.10", 443));
    long t0 = System.nanoTime();
    List<ProbeOutcome> all = new ProbeCheck(slow).run(targets, Duration.ofSeconds(1));
    long allMillis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(all).extracting(ProbeOutcome::passed).containsExactly(true, false, true);
    assertThat(all.get(1).message()).isEqualTo("gateway 10.0.0.1 from 10.0.0.131 via table 10001 (eth1): no reply in 1s");
    assertThat(allMillis).isBetween(900L, 3500L);

    t0 = System.nanoTime();
    List<ProbeOutcome> some = new ProbeCheck(slow).run(targets, Duration.ofSeconds(10),
        java.util.Set.of("gateway:eth1:10.0.0.130", "tcp:10.0.0.10:443"));
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000L);
    assertThat(some.get(1).message()).contains("not finished");
  }
}
