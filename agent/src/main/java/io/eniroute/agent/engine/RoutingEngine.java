package io.eniroute.agent.engine;

import io.eniroute.agent.kernel.IpKernel;
import io.eniroute.agent.kernel.Kernel;
import io.eniroute.agent.kernel.KernelException;
import io.eniroute.agent.kernel.KernelState;
import io.eniroute.agent.kernel.Link;
import io.eniroute.agent.kernel.Route;
import io.eniroute.agent.kernel.Rule;
import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.agent.routing.NodeRouting;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine for one network namespace: observe, plan, diff, one batch, verify; revert; status.
 * Not thread-safe per namespace: one caller at a time (the agent serialises reconciles).
 */
public final class RoutingEngine implements NodeRouting, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RoutingEngine.class);
  /** The state directory (ownership record, journal) cannot be read or written: nothing is changed. */
  public static final String STATE_ERROR = "StateError";

  private final Kernel kernel;
  private final StateStore store;
  private final Planner planner;
  private final Differ differ;
  private final BatchApplier applier;

  public RoutingEngine(Kernel kernel, StateStore store, Planner planner, Differ differ, BatchApplier applier) {
    this.kernel = kernel;
    this.store = store;
    this.planner = planner;
    this.differ = differ;
    this.applier = applier;
  }

  public RoutingEngine(Kernel kernel, StateStore store) {
    this(kernel, store, new Planner(), new Differ(), new BatchApplier(kernel));
  }

  /** The engine for a named namespace (null: the host's own), keeping state under {@code stateDir}. */
  public static RoutingEngine create(String netns, Path stateDir) {
    return new RoutingEngine(new IpKernel(netns), new StateStore(stateDir, netns));
  }

  /** Stops the kernel's observation co-processes (they also stop by themselves when idle). */
  @Override
  public void close() {
    kernel.close();
  }

  public Kernel kernel() {
    return kernel;
  }

  public StateStore store() {
    return store;
  }

  /** What {@link #reconcile} would do now; changes nothing. */
  public PlanResult plan(NodeNetworkConfigSpec spec) {
    KernelState k = kernel.observe();
    if (spec.getState() == ConfigState.ABSENT) {
      return new PlanResult(differ.revert(k, store.load()), List.of(), null, null);
    }
    try {
      Desired d = planner.plan(spec, k, store.load());
      return new PlanResult(differ.diff(d, k, store.load()), d.selection().statuses(), null, null);
    } catch (PlanException e) {
      return new PlanResult(List.of(), List.of(), e.reason(), e.getMessage());
    }
  }

  @Override
  public ApplyReport reconcile(NodeNetworkConfigSpec spec) {
    if (spec.getState() == ConfigState.ABSENT) {
      return revert();
    }
    long t0 = System.nanoTime();
    try {
      KernelState before = kernel.observe();
      OwnershipState prev = store.load();
      Desired d;
      List<Op> ops;
      try {
        d = planner.plan(spec, before, prev);
        ops = differ.diff(d, before, prev);
      } catch (PlanException e) {
        LOG.warn("{}: nothing applied: {}", target(), e.getMessage());
        return report(Outcome.FAILED, 0, t0, List.of(), before, e.reason(), e.getMessage());
      }
      List<InterfaceStatus> statuses = d.selection().statuses();
      if (ops.isEmpty()) {
        return report(Outcome.NO_CHANGE, 0, t0, statuses, before, "NoChange", "the kernel already matches the config");
      }
      OwnershipState next = prev.plus(removals(ops, d), d.addressesToAdd(), sysctlsBefore(ops)).after(ops);
      store.save(next);
      BatchApplier.Result r = applier.apply(ops);
      if (!r.ok()) {
        String refused = "kernel refused '" + r.failedCommand().display(kernel.ipPrefix(), kernel.netns()) + "': "
            + r.error();
        return undone(r.undoError(), prev, r.writes(), t0, statuses, refused);
      }
      KernelState after = kernel.observe();
      String left;
      try {
        List<Op> missing = differ.diff(planner.plan(spec, after, next), after, next);
        left = missing.isEmpty() ? null
            : "'" + missing.get(0).display(kernel.ipPrefix(), kernel.netns()) + "' is still needed";
      } catch (PlanException e) {
        left = "the applied state no longer plans: " + e.getMessage();
      }
      if (left != null) {
        BatchApplier.Undo undo = applier.undoAll(ops);
        return undone(undo.error(), prev, r.writes() + undo.writes(), t0, statuses,
            "after applying, the kernel still differs from the plan (" + left + ")");
      }
      LOG.info("{}: applied {} change(s)", target(), r.writes());
      return report(Outcome.APPLIED, r.writes(), t0, statuses, after, "Applied",
          "applied " + r.writes() + " change(s) and verified them");
    } catch (KernelException e) {
      return report(Outcome.FAILED, 0, t0, List.of(), null, "KernelError", e.getMessage());
    } catch (StateStore.StateException e) {
      return report(Outcome.FAILED, 0, t0, List.of(), null, STATE_ERROR, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("{}: reconcile failed unexpectedly", target(), e);
      return report(Outcome.FAILED, 0, t0, List.of(), null, "InternalError", "the agent failed while planning or"
          + " applying (" + e + "); this is a bug, please report it with the agent's log");
    }
  }

  /**
   * After a failed batch or verify: with a complete undo the kernel is as before and the old
   * ownership record is true again; with an incomplete one part of the change is live, so the
   * record of this change stays (revert and the next reconcile work from it) and the status says so.
   */
  private ApplyReport undone(String undoError, OwnershipState prev, int writes, long t0,
      List<InterfaceStatus> statuses, String what) {
    String msg;
    String reason;
    if (undoError == null) {
      store.save(prev);
      msg = what + "; undid the " + writes + " write(s) around it, nothing is applied";
      reason = what.startsWith("kernel refused") ? "KernelError" : "VerifyFailed";
    } else {
      msg = what + "; undoing it failed too (" + undoError + "), so part of this change is still in the"
          + " kernel: the ownership record keeps it, the next pass retries, and 'eniroute-agent revert'"
          + " (state: absent) removes it";
      reason = "UndoFailed";
    }
    LOG.warn("{}: {}", target(), msg);
    return report(Outcome.FAILED, writes, t0, statuses, kernel.observe(), reason, msg);
  }

  @Override
  public ApplyReport revert() {
    long t0 = System.nanoTime();
    try {
      KernelState k = kernel.observe();
      OwnershipState owned = store.load();
      List<Op> ops = differ.revert(k, owned);
      BatchApplier.Result r = applier.apply(ops);
      if (!r.ok()) {
        String msg = "revert stopped: kernel refused '" + r.failedCommand().display(kernel.ipPrefix(), kernel.netns())
            + "': " + r.error() + "; nothing was removed";
        return report(Outcome.FAILED, r.writes(), t0, List.of(), kernel.observe(), "KernelError", msg);
      }
      store.delete();
      KernelState after = ops.isEmpty() ? k : kernel.observe();
      return report(Outcome.REVERTED, r.writes(), t0, List.of(), after, "Reverted",
          ops.isEmpty() ? "nothing to revert: eniroute owns nothing here" : "removed everything eniroute owned ("
              + r.writes() + " change(s))");
    } catch (KernelException e) {
      return report(Outcome.FAILED, 0, t0, List.of(), null, "KernelError", e.getMessage());
    } catch (StateStore.StateException e) {
      return report(Outcome.FAILED, 0, t0, List.of(), null, STATE_ERROR, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("{}: revert failed unexpectedly", target(), e);
      return report(Outcome.FAILED, 0, t0, List.of(), null, "InternalError", "the agent failed while reverting ("
          + e + "); this is a bug, please report it with the agent's log");
    }
  }

  @Override
  public ApplyReport status() {
    long t0 = System.nanoTime();
    try {
      KernelState k = kernel.observe();
      OwnershipState owned = store.load();
      List<InterfaceStatus> statuses = ownedInterfaces(k);
      long rules = k.rules().stream().filter(r -> r.protocol() == Planner.PROTO).count();
      long routes = k.routes().stream().filter(r -> r.protocol() == Planner.PROTO).count();
      String msg = "eniroute owns " + rules + " rule(s) and " + routes + " route(s) in " + target() + "; it removed "
          + owned.mainRoutesRemoved().size() + " main route(s), added " + owned.addressesAdded().size()
          + " address(es) and changed " + owned.sysctlsBefore().size() + " sysctl(s)";
      return report(Outcome.OBSERVED, 0, t0, statuses, k, "Observed", msg);
    } catch (KernelException e) {
      return report(Outcome.FAILED, 0, t0, List.of(), null, "KernelError", e.getMessage());
    } catch (StateStore.StateException e) {
      return report(Outcome.FAILED, 0, t0, List.of(), null, STATE_ERROR, e.getMessage());
    }
  }

  private String target() {
    return kernel.netns() == null ? "host namespace" : "netns " + kernel.netns();
  }

  private static List<Route> removals(List<Op> ops, Desired d) {
    List<Route> out = new ArrayList<>();
    for (Route r : d.mainRemovals()) {
      if (ops.stream().anyMatch(o -> o.command().equals("route del " + r.render()))) {
        out.add(r);
      }
    }
    return out;
  }

  private static Map<String, String> sysctlsBefore(List<Op> ops) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Op o : ops) {
      if (o.kind() == Op.Kind.SYSCTL) {
        int eq = o.inverse().indexOf('=');
        out.put(o.inverse().substring(0, eq), o.inverse().substring(eq + 1));
      }
    }
    return out;
  }

  /** Interfaces that have a table of eniroute's, from the kernel alone (status has no spec). */
  private static List<InterfaceStatus> ownedInterfaces(KernelState k) {
    List<InterfaceStatus> out = new ArrayList<>();
    for (Link l : k.links()) {
      TreeSet<Long> tables = new TreeSet<>();
      String gw = null;
      String subnet = null;
      for (Route r : k.routes()) {
        if (r.protocol() == Planner.PROTO && l.name().equals(r.dev())) {
          tables.add(r.table());
          if (r.gateway() != null) {
            gw = r.gateway();
          } else {
            subnet = r.dst();
          }
        }
      }
      InterfaceStatus st = new InterfaceStatus();
      st.setName(l.name());
      st.setMac(l.mac());
      st.setAddresses(new ArrayList<>(k.addressesOf(l.name()).stream().map(a -> a.address()).toList()));
      st.setManaged(!tables.isEmpty());
      if (!tables.isEmpty()) {
        long table = tables.first();
        st.setTable(table);
        st.setGateway(gw);
        st.setSubnet(subnet);
        k.rules().stream().filter(r -> r.protocol() == Planner.PROTO && r.table() != null && r.table() == table)
            .map(Rule::priority).findFirst().ifPresent(st::setPriority);
      } else {
        st.setNote("no table of eniroute's");
      }
      out.add(st);
    }
    return out;
  }

  private static ApplyReport report(Outcome outcome, int writes, long t0, List<InterfaceStatus> interfaces,
      KernelState k, String reason, String message) {
    int rules = k == null ? 0 : (int) k.rules().stream().filter(r -> r.protocol() == Planner.PROTO).count();
    int routes = k == null ? 0 : (int) k.routes().stream().filter(r -> r.protocol() == Planner.PROTO).count();
    return new ApplyReport(outcome, writes, (System.nanoTime() - t0) / 1_000_000, interfaces, rules, routes,
        List.of(), reason, message);
  }
}
