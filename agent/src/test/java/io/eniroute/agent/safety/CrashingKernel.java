package io.eniroute.agent.safety;

import io.eniroute.agent.kernel.BatchResult;
import io.eniroute.agent.kernel.Kernel;
import io.eniroute.agent.kernel.KernelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real kernel with a fault plan: every kernel write (a sysctl write, each line of a batch) and
 * every {@link CrashPoint} is one numbered step; at the chosen step the agent "dies" there (a
 * {@link Crash} unwinds the call without running another line of the agent, as SIGKILL would:
 * the lines before it are in the kernel, the rest never run). Or, instead of dying, the kernel
 * refuses the line at step {@code refuseAt} ("Operation not permitted"), or every line once the
 * named point {@code refuseFrom} was reached, until {@code refuse} is switched off again.
 */
final class CrashingKernel implements Kernel {
  /** The agent died here. An Error, so no catch of RuntimeException in the agent sees it. */
  static final class Crash extends Error {
    Crash(String where) {
      super("killed at " + where, null, false, false);
    }
  }

  private final Kernel kernel;
  private final int crashAt;
  private final int refuseAt;
  private final String refuseFrom;
  private int steps;
  private String crashedAt;
  private String refused;
  volatile boolean refuse;

  /** @param crashAt the step to die at (1-based); 0 never */
  CrashingKernel(Kernel kernel, int crashAt) {
    this(kernel, crashAt, 0, null);
  }

  CrashingKernel(Kernel kernel, int crashAt, int refuseAt, String refuseFrom) {
    this.kernel = kernel;
    this.crashAt = crashAt;
    this.refuseAt = refuseAt;
    this.refuseFrom = refuseFrom;
  }

  /** The line refused at step {@code refuseAt}, null when that step was not a batch line. */
  String refused() {
    return refused;
  }

  /** The CrashPoint that counts SafeNodeRouting's named points as steps of this plan. */
  CrashPoint points() {
    return CrashPoint.observing(this::step);
  }

  int steps() {
    return steps;
  }

  String crashedAt() {
    return crashedAt;
  }

  private void step(String what) {
    steps++;
    if (what.equals(refuseFrom)) {
      refuse = true;
    }
    if (steps == crashAt) {
      crashedAt = what;
      throw new Crash(what);
    }
  }

  @Override
  public KernelState observe() {
    return kernel.observe();
  }

  @Override
  public Map<String, String> sysctls() {
    return kernel.sysctls();
  }

  @Override
  public BatchResult batch(List<String> lines, boolean force) {
    int at = crashAt - steps - 1; // the line this batch would die at
    if (crashAt > 0 && at >= 0 && at < lines.size()) {
      if (at > 0) {
        run(lines.subList(0, at), force);
      }
      steps += at;
      step("line " + (at + 1) + "/" + lines.size() + " '" + lines.get(at) + "'");
    }
    int no = refuseAt - steps - 1;
    if (refuseAt > 0 && no >= 0 && no < lines.size()) {
      refused = lines.get(no);
      BatchResult before = no > 0 ? run(lines.subList(0, no), force) : new BatchResult(0, -1, null);
      steps += lines.size();
      return new BatchResult(before.executed(), no, "RTNETLINK answers: Operation not permitted");
    }
    steps += lines.size();
    return run(lines, force);
  }

  private BatchResult run(List<String> lines, boolean force) {
    if (!refuse) {
      return kernel.batch(lines, force);
    }
    return new BatchResult(0, lines.isEmpty() ? -1 : 0, "RTNETLINK answers: Operation not permitted");
  }

  @Override
  public void writeSysctls(Map<String, String> values) {
    if (!values.isEmpty()) {
      step("sysctls " + new ArrayList<>(values.keySet()));
    }
    kernel.writeSysctls(values);
  }

  @Override
  public String netns() {
    return kernel.netns();
  }

  @Override
  public void close() {
    kernel.close();
  }
}
