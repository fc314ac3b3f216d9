package io.eniroute.agent.cluster;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Keeps the numbering of interfaces that already have a table of eniroute's: IMDS may answer
 * differently than when they were numbered (it was down then and the kernel's order decided, or
 * it is down now), and renumbering a live node moves every rule and route of an interface.
 * So an interface with a live table keeps the card/index that table encodes
 * ({@code table - tableBase = 100*card + index}); IMDS numbers only interfaces without one, and
 * never into a slot a live interface or the operator holds. The operator's own deviceIndex
 * always wins. To renumber on purpose: revert (state: absent), then apply.
 *
 * <p>What is live comes from the last report that described the kernel (a failed pass does not
 * count), and before the first report from the routing's status. Called from the loop thread.
 */
public final class LiveNumbering {
  private static final long SPAN = 1600;

  private final Supplier<List<InterfaceStatus>> initial;
  private List<InterfaceStatus> live;

  /** @param initial the interfaces as the routing sees them now (asked once, before the first report) */
  public LiveNumbering(Supplier<List<InterfaceStatus>> initial) {
    this.initial = initial;
  }

  /** Remembers what a pass left in the kernel. */
  public synchronized void update(ApplyReport r) {
    if (r.ok() || r.outcome() == Outcome.ROLLED_BACK) {
      live = r.interfaces();
    }
  }

  /** IMDS's hints for {@code spec}, with live interfaces keeping their numbers. */
  public synchronized List<InterfaceAddresses> hints(NodeNetworkConfigSpec spec, List<InterfaceAddresses> imds) {
    if (live == null) {
      live = initial.get();
    }
    long base = spec.getRouting() == null || spec.getRouting().getTableBase() == null ? 10000L
        : spec.getRouting().getTableBase();
    Map<String, int[]> liveNumbers = new HashMap<>();
    for (InterfaceStatus i : live) {
      Long t = i.getTable();
      if (i.getMac() != null && Boolean.TRUE.equals(i.getManaged()) && t != null && t >= base && t < base + SPAN) {
        liveNumbers.put(key(i.getMac()), new int[] {(int) ((t - base) / 100), (int) ((t - base) % 100)});
      }
    }
    Set<String> taken = new HashSet<>();
    Set<String> operatorNumbered = new HashSet<>();
    Set<String> candidates = new LinkedHashSet<>();
    for (InterfaceAddresses a : spec.getAddresses()) {
      if (a.getDeviceIndex() != null) {
        operatorNumbered.add(key(a.getMac()));
        taken.add(slot(a.getNetworkCard() == null ? 0 : a.getNetworkCard(), a.getDeviceIndex()));
      } else {
        candidates.add(key(a.getMac()));
      }
    }
    Map<String, InterfaceAddresses> imdsByMac = new HashMap<>();
    for (InterfaceAddresses h : imds) {
      imdsByMac.put(key(h.getMac()), h);
      candidates.add(key(h.getMac()));
    }
    candidates.removeAll(operatorNumbered);
    List<InterfaceAddresses> out = new ArrayList<>();
    for (String mac : candidates) {
      int[] n = liveNumbers.get(mac);
      if (n != null && taken.add(slot(n[0], n[1]))) {
        out.add(hint(mac, imdsByMac.get(mac), n[0], n[1]));
      }
    }
    for (String mac : candidates) {
      InterfaceAddresses h = imdsByMac.get(mac);
      if (h == null || out.stream().anyMatch(o -> key(o.getMac()).equals(mac))) {
        continue;
      }
      int card = h.getNetworkCard() == null ? 0 : h.getNetworkCard();
      if (h.getDeviceIndex() != null && taken.add(slot(card, h.getDeviceIndex()))) {
        out.add(h);
      } else {
        out.add(hint(mac, h, null, null)); // its slot is held: the kernel's order gives it a free one
      }
    }
    return out;
  }

  private static InterfaceAddresses hint(String mac, InterfaceAddresses imds, Integer card, Integer index) {
    InterfaceAddresses a = new InterfaceAddresses(mac, List.of());
    a.setInterfaceId(imds == null ? null : imds.getInterfaceId());
    a.setNetworkCard(card);
    a.setDeviceIndex(index);
    return a;
  }

  private static String slot(int card, int index) {
    return card + "/" + index;
  }

  private static String key(String mac) {
    return mac.toLowerCase(Locale.ROOT);
  }
}
