package io.eniroute.agent.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.eniroute.agent.kernel.Route;
import java.util.ArrayList;
import java.util.Collections;
import java.util.TreeMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What eniroute changed that the kernel cannot mark as ours: the foreign main-table routes it
 * removed, the addresses it added ({@code [dev, a/len]}), and each sysctl's value before eniroute
 * first wrote it, and the links it brought up (an ENI nothing configured: revert sets them down
 * again). Routes and rules need no record: they carry protocol 228.
 */
public record OwnershipState(List<Route> mainRoutesRemoved, List<List<String>> addressesAdded,
    Map<String, String> sysctlsBefore, List<String> linksBroughtUp) {

  public OwnershipState(List<Route> mainRoutesRemoved, List<List<String>> addressesAdded, Map<String, String> sysctlsBefore) {
    this(mainRoutesRemoved, addressesAdded, sysctlsBefore, List.of());
  }

  public OwnershipState {
    linksBroughtUp = List.copyOf(linksBroughtUp == null ? List.of() : linksBroughtUp);
    mainRoutesRemoved = List.copyOf(mainRoutesRemoved == null ? List.of() : mainRoutesRemoved);
    addressesAdded = List.copyOf(addressesAdded == null ? List.of() : addressesAdded);
    sysctlsBefore = Collections.unmodifiableMap(new TreeMap<>(sysctlsBefore == null ? Map.of() : sysctlsBefore));
  }

  public static OwnershipState empty() {
    return new OwnershipState(List.of(), List.of(), Map.of());
  }

  @JsonIgnore
  public boolean isEmpty() {
    return mainRoutesRemoved.isEmpty() && addressesAdded.isEmpty() && sysctlsBefore.isEmpty() && linksBroughtUp.isEmpty();
  }

  /** This state plus what {@code ops} will change (recorded before they run). */
  OwnershipState plus(List<Route> removed, List<String[]> added, Map<String, String> before) {
    List<Route> r = new ArrayList<>(mainRoutesRemoved);
    removed.stream().filter(x -> !r.contains(x)).forEach(r::add);
    List<List<String>> a = new ArrayList<>(addressesAdded);
    added.stream().map(List::of).filter(x -> !a.contains(x)).forEach(a::add);
    Map<String, String> s = new LinkedHashMap<>(before);
    s.putAll(sysctlsBefore); // the first recorded value is the one to restore
    return new OwnershipState(r, a, s, linksBroughtUp);
  }

  /**
   * This state after {@code ops}: the links they bring up are eniroute's to take down, the
   * addresses they delete no longer eniroute's to remove (recorded before the ops run).
   */
  OwnershipState after(List<Op> ops) {
    List<String> links = new ArrayList<>(linksBroughtUp);
    List<List<String>> addresses = new ArrayList<>(addressesAdded);
    for (Op o : ops) {
      String[] w = o.command().split(" ");
      if (w.length == 5 && w[0].equals("link") && w[1].equals("set") && w[4].equals("up") && !links.contains(w[3])) {
        links.add(w[3]);
      } else if (w.length == 5 && w[0].equals("address") && w[1].equals("del")) {
        addresses.remove(List.of(w[4], w[2]));
      }
    }
    return new OwnershipState(mainRoutesRemoved, addresses, sysctlsBefore, links);
  }
}
