package io.eniroute.agent.engine;

import io.eniroute.agent.kernel.BatchResult;
import io.eniroute.agent.kernel.Kernel;
import io.eniroute.agent.kernel.KernelException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies ops all or nothing: sysctls in one write, then every iproute2 op in ONE
 * {@code ip -batch} process. If line N fails, lines 1..N-1 are undone with their inverses in
 * reverse order and the sysctls restored, so the kernel is as before.
 */
public final class BatchApplier {
  private static final Logger LOG = LoggerFactory.getLogger(BatchApplier.class);

  private final Kernel kernel;

  public BatchApplier(Kernel kernel) {
    this.kernel = kernel;
  }

  /**
   * @param writes kernel writes made (including undo writes after a failure)
   * @param failedCommand the op that failed, null on success
   * @param error the kernel's message for it
   * @param undoError null when the undo after a failure was complete (the kernel is as before),
   *     else the inverse command that failed and the kernel's message: part of the change is live
   */
  public record Result(int writes, Op failedCommand, String error, String undoError) {
    public boolean ok() {
      return failedCommand == null;
    }
  }

  /** @param error null when every inverse ran, else the one that failed and why */
  public record Undo(int writes, String error) {
    public boolean complete() {
      return error == null;
    }
  }

  public Result apply(List<Op> ops) {
    Map<String, String> sysctls = sysctls(ops, false);
    List<Op> ipOps = ops.stream().filter(o -> o.kind() == Op.Kind.IP).toList();
    try {
      kernel.writeSysctls(sysctls);
    } catch (KernelException e) {
      Op first = ops.stream().filter(o -> o.kind() == Op.Kind.SYSCTL).findFirst().orElseThrow();
      Undo u = restoreSysctls(sysctlOps(ops));
      return new Result(2 * sysctls.size(), first, e.getMessage(), u.error());
    }
    BatchResult r = kernel.batch(ipOps.stream().map(Op::command).toList(), false);
    int writes = sysctls.size() + r.executed();
    if (r.ok()) {
      return new Result(writes, null, null, null);
    }
    Op failed = ipOps.get(Math.min(r.failedLine(), ipOps.size() - 1));
    LOG.warn("{} failed ({}); undoing {} command(s)", failed.command(), r.error(), r.executed());
    Undo u = undo(ipOps.subList(0, r.executed()), sysctls.isEmpty() ? List.of() : sysctlOps(ops));
    return new Result(writes + u.writes(), failed, r.error(), u.error());
  }

  /** Undoes ops that all ran (used when verification fails after a successful batch). */
  public Undo undoAll(List<Op> ops) {
    return undo(ops.stream().filter(o -> o.kind() == Op.Kind.IP).toList(), sysctlOps(ops));
  }

  /** Every inverse runs even when one fails (force), so as much as possible is undone. */
  private Undo undo(List<Op> ipDone, List<Op> sysctlDone) {
    List<String> inverse = new ArrayList<>();
    for (int i = ipDone.size() - 1; i >= 0; i--) {
      inverse.add(ipDone.get(i).inverse());
    }
    String error = null;
    int writes = 0;
    try {
      BatchResult u = kernel.batch(inverse, true);
      writes = u.executed();
      if (!u.ok()) {
        String line = u.failedLine() >= 0 && u.failedLine() < inverse.size() ? inverse.get(u.failedLine()) : "?";
        error = "'" + line + "': " + u.error();
        LOG.error("undo was incomplete: {}", error);
      }
    } catch (KernelException e) {
      error = e.getMessage();
    }
    Undo s = restoreSysctls(sysctlDone);
    return new Undo(writes + s.writes(), error != null ? error : s.error());
  }

  private Undo restoreSysctls(List<Op> sysctlDone) {
    Map<String, String> restore = sysctls(sysctlDone, true);
    try {
      kernel.writeSysctls(restore);
      return new Undo(restore.size(), null);
    } catch (KernelException e) {
      LOG.error("restoring sysctls failed: {}", e.getMessage());
      return new Undo(0, "restoring sysctls: " + e.getMessage());
    }
  }

  private static List<Op> sysctlOps(List<Op> ops) {
    return ops.stream().filter(o -> o.kind() == Op.Kind.SYSCTL).toList();
  }

  private static Map<String, String> sysctls(List<Op> ops, boolean inverse) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Op o : ops) {
      if (o.kind() == Op.Kind.SYSCTL) {
        String kv = inverse ? o.inverse() : o.command();
        int eq = kv.indexOf('=');
        out.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return out;
  }
}
