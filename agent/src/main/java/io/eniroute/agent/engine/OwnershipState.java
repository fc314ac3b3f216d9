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
 * first wrote it. Routes and rules need no record: they carry protocol 228.
 */
public record OwnershipState(List<Route> mainRoutesRemoved, List<List<String>> addressesAdded,
    Map<String, String> sysctlsBefore) {

  public OwnershipState {
    mainRoutesRemoved = List.copyOf(mainRoutesRemoved == null ? List.of() : mainRoutesRemoved);
    addressesAdded = List.copyOf(addressesAdded == null ? List.of() : addressesAdded);
    sysctlsBefore = Collections.unmodifiableMap(new TreeMap<>(sysctlsBefore == null ? Map.of() : sysctlsBefore));
  }

  public static OwnershipState empty() {
    return new OwnershipState(List.of(), List.of(), Map.of());
  }

  @JsonIgnore
  public boolean isEmpty() {
    return mainRoutesRemoved.isEmpty() && addressesAdded.isEmpty() && sysctlsBefore.isEmpty();
  }

  /** This state plus what {@code ops} will change (recorded before they run). */
  OwnershipState plus(List<Route> removed, List<String[]> added, Map<String, String> before) {
    List<Route> r = new ArrayList<>(mainRoutesRemoved);
    removed.stream().filter(x -> !r.contains(x)).forEach(r::add);
    List<List<String>> a = new ArrayList<>(addressesAdded);
    added.stream().map(List::of).filter(x -> !a.contains(x)).forEach(a::add);
    Map<String, String> s = new LinkedHashMap<>(before);
    s.putAll(sysctlsBefore); // the first recorded value is the one to restore
    return new OwnershipState(r, a, s);
  }
}
