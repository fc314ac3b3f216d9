package io.eniroute.agent.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eniroute.lab.Lab;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A node's routing state as {@code ip -json} prints it (addresses, rules, routes of every table,
 * the three sysctls per interface), without the fields that change by themselves (lifetimes,
 * counters, link state such as carrier/linkdown flags and bridge timers), sorted so two dumps compare equal when the state is the same.
 */
final class KernelDump {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> VOLATILE = Set.of("valid_life_time", "preferred_life_time", "stats", "stats64",
      "expires", "used", "lastused", "cacheinfo", "flags");

  private KernelDump() {}

  static List<String> of(Lab lab, String node) {
    List<String> out = new ArrayList<>();
    for (String what : List.of("address", "rule", "route show table all")) {
      List<String> argv = new ArrayList<>(List.of("ip", "-4", "-d", "-json"));
      argv.addAll(List.of(what.split(" ")));
      try {
        for (JsonNode n : JSON.readTree(lab.exec(node, argv.toArray(String[]::new)))) {
          if (what.equals("address")) {
            // the link's own state (carrier, bridge timers) is not routing state: keep name + addresses
            n = JSON.createObjectNode().put("ifname", n.path("ifname").asText()).set("addr_info", n.path("addr_info"));
          }
          strip(n);
          out.add(what.split(" ")[0] + " " + n);
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    for (String line : lab.exec(node, "sh", "-c",
        "cd /proc/sys/net/ipv4/conf && grep -H . */rp_filter */arp_ignore */arp_announce").split("\n")) {
      out.add("sysctl " + line);
    }
    return new ArrayList<>(new TreeSet<>(out));
  }

  private static void strip(JsonNode n) {
    if (n instanceof ObjectNode o) {
      o.remove(VOLATILE);
      o.forEach(KernelDump::strip);
    } else if (n.isArray()) {
      n.forEach(KernelDump::strip);
    }
  }
}
