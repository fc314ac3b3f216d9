package io.eniroute.agent.engine;

import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.InterfaceMatcher;
import io.eniroute.crds.v1alpha1.MainTableMode;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.crds.v1alpha1.Patterns;
import io.eniroute.crds.v1alpha1.RoutingSettings;
import io.eniroute.crds.v1alpha1.RpFilterMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A spec with every default filled in, validated: the same checks the CRD schema makes, so a
 * hand-written file gets the same clear error naming the field (a file never saw the API server).
 */
record ResolvedSpec(long tableBase, int priorityBase, MainTableMode mainTable, List<String> mainDestinations,
    String gateway, RpFilterMode rpFilter, boolean arpHardening, boolean primaryRules,
    List<InterfaceMatcher> include, List<InterfaceMatcher> exclude, List<InterfaceAddresses> addresses,
    boolean onlyListedInterfaces) {

  private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

  static ResolvedSpec of(NodeNetworkConfigSpec spec) {
    RoutingSettings r = spec.getRouting() == null ? new RoutingSettings() : spec.getRouting();
    var sel = spec.getInterfaces();
    ResolvedSpec s = new ResolvedSpec(
        r.getTableBase() == null ? 10000L : r.getTableBase(),
        r.getPriorityBase() == null ? 10000 : r.getPriorityBase(),
        r.getMainTable() == null ? MainTableMode.REMOVE_DUPLICATES : r.getMainTable(),
        r.getMainDestinations() == null ? List.of() : r.getMainDestinations(),
        r.getGateway(),
        r.getRpFilter() == null ? RpFilterMode.LOOSE : r.getRpFilter(),
        r.getArpHardening() == null || r.getArpHardening(),
        sel == null || sel.getPrimaryRules() == null || sel.getPrimaryRules(),
        sel == null || sel.getInclude() == null ? List.of() : sel.getInclude(),
        sel == null || sel.getExclude() == null ? List.of() : sel.getExclude(),
        spec.getAddresses() == null ? List.of() : spec.getAddresses(),
        Boolean.TRUE.equals(spec.getOnlyListedInterfaces()));
    s.validate();
    return s;
  }

  private void validate() {
    if (tableBase < 256 || tableBase > 4294965694L) {
      throw PlanException.invalid("spec.routing.tableBase: " + tableBase
          + " is out of range; use 256..4294965694 (tables 1-255 belong to the kernel and other tools)");
    }
    if (priorityBase < 1 || priorityBase + 1600 >= 32766) {
      throw PlanException.invalid("spec.routing.priorityBase: " + priorityBase
          + " is out of range; priorityBase + 1600 must stay below 32766 (the main table's rule)");
    }
    if (!mainDestinations.isEmpty() && priorityBase < 2) {
      throw PlanException.invalid("spec.routing.priorityBase: mainDestinations rules sit at priorityBase - 1, so it must be at least 2");
    }
    for (int i = 0; i < mainDestinations.size(); i++) {
      String c = mainDestinations.get(i);
      if (!Ipv4.isCidr(c, false)) {
        throw PlanException.invalid("spec.routing.mainDestinations[" + i + "]: '" + c
            + "' is not an IPv4 CIDR; write it like 172.17.0.0/16");
      }
      String net = Ipv4.network(Ipv4.addressOf(c), Ipv4.prefixOf(c));
      if (!net.equals(c)) {
        throw PlanException.invalid("spec.routing.mainDestinations[" + i + "]: '" + c
            + "' has host bits set; write the network, " + net);
      }
    }
    if (gateway != null && !Ipv4.isAddress(gateway)) {
      throw PlanException.invalid("spec.routing.gateway: '" + gateway + "' is not an IPv4 address");
    }
    Map<String, String> owners = new HashMap<>();
    for (int i = 0; i < addresses.size(); i++) {
      InterfaceAddresses e = addresses.get(i);
      String f = "spec.addresses[" + i + "]";
      if (e.getMac() == null || !MAC.matcher(e.getMac()).matches()) {
        throw PlanException.invalid(f + ".mac: '" + e.getMac() + "' is not a lower-case MAC like 0a:1b:2c:3d:4e:5f");
      }
      for (int j = 0; j < i; j++) {
        if (addresses.get(j).getMac().equals(e.getMac())) {
          throw PlanException.invalid(f + ".mac: " + e.getMac() + " is listed twice (also spec.addresses[" + j
              + "]); give each interface one entry");
        }
      }
      if (e.getDeviceIndex() != null && (e.getDeviceIndex() < 0 || e.getDeviceIndex() > 99)) {
        throw PlanException.invalid(f + ".deviceIndex: " + e.getDeviceIndex() + " is out of range 0..99");
      }
      if (e.getNetworkCard() != null && (e.getNetworkCard() < 0 || e.getNetworkCard() > 15)) {
        throw PlanException.invalid(f + ".networkCard: " + e.getNetworkCard() + " is out of range 0..15");
      }
      List<String> list = e.getAddresses() == null ? List.of() : e.getAddresses();
      for (int j = 0; j < list.size(); j++) {
        String a = list.get(j);
        if (!Ipv4.isCidr(a, true)) {
          throw PlanException.invalid(f + ".addresses[" + j + "]: '" + a
              + "' is not an IPv4 address (optionally with /prefix), e.g. 10.0.0.131 or 10.0.0.131/24");
        }
        String prev = owners.put(Ipv4.addressOf(a), f);
        if (prev != null) {
          throw PlanException.invalid(f + ".addresses[" + j + "]: " + Ipv4.addressOf(a) + " is also listed in "
              + prev + "; an address belongs to one interface");
        }
      }
    }
    validateMatchers(include, "spec.interfaces.include");
    validateMatchers(exclude, "spec.interfaces.exclude");
  }

  /** The CRD's pattern and length, plus what a pattern cannot see: a reversed range like [3-1]. */
  private static void validateGlob(String name, String field) {
    String fix = "; write a name or a glob of * ? and bracket sets, e.g. eth[0-9] or ens*";
    if (name.isEmpty() || name.length() > 15 || !name.matches(Patterns.IFNAME_GLOB)) {
      throw PlanException.invalid(field + ": '" + name + "' is not an interface name or glob"
          + " (at most 15 characters, every [ closed by a non-empty ])" + fix);
    }
    try {
      InterfaceSelector.glob(name);
    } catch (PatternSyntaxException e) {
      throw PlanException.invalid(field + ": '" + name + "' is not a valid glob (" + e.getDescription()
          + ": a range must go upwards)" + fix);
    }
  }

  private static void validateMatchers(List<InterfaceMatcher> ms, String field) {
    for (int i = 0; i < ms.size(); i++) {
      InterfaceMatcher m = ms.get(i);
      if (m.getName() != null) {
        validateGlob(m.getName(), field + "[" + i + "].name");
      }
      if (m.getMac() != null && !MAC.matcher(m.getMac()).matches()) {
        throw PlanException.invalid(field + "[" + i + "].mac: '" + m.getMac() + "' is not a lower-case MAC");
      }
    }
  }
}
