package io.eniroute.agent.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.lab.Cmd;
import io.eniroute.lab.NetnsRequired;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory on a real mount that turns read-only, as a disk error remounts it: the
 * agent keeps healing the committed config and applies nothing new. Mounting needs root (the
 * lab's rule: skipped with the reason without it, never under CI=true).
 */
@ExtendWith(NetnsRequired.class)
class ReadOnlyStateDirTest {
  @TempDir Path dir;

  @Test
  void aNewConfigIsRefusedAsStateErrorAndTheCommittedOneStaysInTheKernel() throws Exception {
    SafeNodeRoutingTest.FakeEngine engine = new SafeNodeRoutingTest.FakeEngine();
    Prober gatewayAnswers = (t, budget) -> new ProbeOutcome(t, "10.0.0.1".equals(engine.kernelGateway), "", 1);
    Path mount = Files.createDirectory(dir.resolve("state"));
    Cmd.check("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString());
    try {
      SafeNodeRouting safe = new SafeNodeRouting(engine, Journal.forTarget(mount, "n1"), new ProbeCheck(gatewayAnswers),
          new ProbeTargets(Optional.empty()), CrashPoint.NONE);
      assertThat(safe.reconcile(SafeNodeRoutingTest.spec("10.0.0.1")).outcome()).isEqualTo(Outcome.APPLIED);
      Cmd.check("mount", "-o", "remount,ro", mount.toString());
      engine.calls.clear();

      ApplyReport r = safe.reconcile(SafeNodeRoutingTest.spec("10.0.0.9"));

      assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(r.reason()).isEqualTo("StateError");
      assertThat(r.message()).contains("cannot write journal").contains("Read-only file system");
      assertThat(engine.calls).as("nothing applied without a journal to undo it from").isEmpty();
      assertThat(engine.kernelGateway).isEqualTo("10.0.0.1");
      assertThat(safe.reconcile(SafeNodeRoutingTest.spec("10.0.0.1")).ok()).as("the committed config is still healed").isTrue();
    } finally {
      Cmd.check("umount", mount.toString());
    }
  }
}
