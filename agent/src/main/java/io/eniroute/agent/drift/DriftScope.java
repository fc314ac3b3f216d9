package io.eniroute.agent.drift;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.crds.v1alpha1.RoutingSettings;
import java.util.HashSet;
import java.util.Set;

/**
 * What eniroute owns or depends on, from the last report and spec: decides whether a kernel
 * event can need a reconcile. Errs on the side of "relevant" (a needless reconcile costs one
 * observe and zero writes; a missed one leaves drift until the resync).
 */
public final class DriftScope {
  /** Before the first report everything is relevant. */
  public static final DriftScope EVERYTHING = new DriftScope(null, null);

  /** iproute2 protocol number on every route and rule eniroute makes. */
  public static final String PROTO = "228";
  /** Tables/priorities: base + 100*card + index, card < 16, index < 128. */
  private static final long SPAN = 1600 + 128;

  private final Set<String> managed = new HashSet<>();
  private final Set<String> seenWithAddress = new HashSet<>();
  private final Set<String> seen = new HashSet<>();
  private final Set<String> subnets = new HashSet<>();
  private final long tableBase;
  private final int priorityBase;
  private final boolean everything;

  public DriftScope(NodeNetworkConfigSpec spec, ApplyReport report) {
    everything = spec == null || report == null;
    RoutingSettings r = spec == null || spec.getRouting() == null ? new RoutingSettings() : spec.getRouting();
    tableBase = r.getTableBase() == null ? 10000 : r.getTableBase();
    priorityBase = r.getPriorityBase() == null ? 10000 : r.getPriorityBase();
    if (report != null) {
      for (InterfaceStatus i : report.interfaces()) {
        seen.add(i.getName());
        if (!i.getAddresses().isEmpty()) {
          seenWithAddress.add(i.getName());
        }
        if (Boolean.TRUE.equals(i.getManaged())) {
          managed.add(i.getName());
          if (i.getSubnet() != null) {
            subnets.add(i.getSubnet());
          }
        }
      }
    }
  }

  public boolean relevant(KernelEvent e) {
    if (everything) {
      return true;
    }
    return switch (e.kind()) {
      // A managed link changed, or an interface we have not seen appeared (hot-plugged ENI).
      case LINK -> managed.contains(e.device()) || !seen.contains(e.device());
      // Addresses of managed interfaces; or a first IPv4 address that can make an interface manageable.
      case ADDRESS -> managed.contains(e.device()) || !seenWithAddress.contains(e.device());
      case RULE -> PROTO.equals(e.proto()) || ourTable(e.table()) || ourPriority(e.priority());
      case ROUTE -> PROTO.equals(e.proto()) || ourTable(e.table())
          || ("main".equals(e.table()) && subnets.contains(e.prefix()));
      case OTHER -> true;
    };
  }

  private boolean ourTable(String table) {
    if (table == null) {
      return false;
    }
    try {
      long t = Long.parseLong(table);
      return t >= tableBase && t < tableBase + SPAN;
    } catch (NumberFormatException notNumeric) {
      return false;
    }
  }

  private boolean ourPriority(Long p) {
    // priorityBase - 1 holds the "to <cidr> lookup main" rules.
    return p != null && p >= priorityBase - 1 && p < priorityBase + SPAN;
  }
}
