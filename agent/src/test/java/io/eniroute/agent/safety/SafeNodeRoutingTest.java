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

    @Override
    public ApplyReport reconcile(NodeNetworkConfigSpec spec) {
      String gw = spec.getRouting().getGateway();
      calls.add("reconcile " + gw);
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
