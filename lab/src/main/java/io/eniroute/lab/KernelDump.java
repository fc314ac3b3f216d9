package io.eniroute.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A network namespace's routing state as {@code ip -json} prints it: addresses, rules, routes of
 * every table and the three sysctls the agent touches on each interface. Fields that change by
 * themselves (lifetimes, counters, flags, link carrier state and bridge timers) are dropped and
 * the lines sorted, so two dumps are equal exactly when the routing state is the same.
 */
public record KernelDump(List<String> lines) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> VOLATILE = Set.of("valid_life_time", "preferred_life_time", "stats", "stats64",
      "expires", "used", "lastused", "cacheinfo", "flags");

  public KernelDump {
    lines = List.copyOf(lines);
  }

  public static KernelDump of(String netns) {
    TreeSet<String> out = new TreeSet<>();
    for (String what : List.of("address", "rule", "route show table all")) {
      List<String> argv = new ArrayList<>(List.of("ip", "-n", netns, "-4", "-d", "-json"));
      argv.addAll(List.of(what.split(" ")));
      for (JsonNode n : json(Cmd.check(argv.toArray(String[]::new)), netns)) {
        if (what.equals("address")) {
          // the link's own state is not routing state: keep the name and the addresses
          n = JSON.createObjectNode().put("ifname", n.path("ifname").asText()).set("addr_info", n.path("addr_info"));
        }
        strip(n);
        out.add(what.split(" ")[0] + " " + n);
      }
    }
    String sysctls = Cmd.check("ip", "netns", "exec", netns, "sh", "-c",
        "cd /proc/sys/net/ipv4/conf && grep -H . */rp_filter */arp_ignore */arp_announce");
    for (String line : sysctls.split("\n")) {
      out.add("sysctl " + line);
    }
    return new KernelDump(new ArrayList<>(out));
  }

  /** Lines only in this dump ("- ") and only in {@code other} ("+ "). Empty when equal. */
  public List<String> diff(KernelDump other) {
    List<String> d = new ArrayList<>();
    lines.stream().filter(l -> !other.lines.contains(l)).forEach(l -> d.add("- " + l));
    other.lines.stream().filter(l -> !lines.contains(l)).forEach(l -> d.add("+ " + l));
    return d;
  }

  private static JsonNode json(String text, String netns) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("cannot parse ip -json output in " + netns, e);
    }
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
