package io.eniroute.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eniroute.lab.Cmd;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A node's routing state as text lines, without counters, lifetimes or interface indexes:
 * addresses, routes of every table, rules, and the sysctls the agent touches. Two dumps are
 * equal when the node is back where it was.
 */
public record KernelDump(List<String> lines) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SYSCTLS = {"rp_filter", "arp_ignore", "arp_announce"};

  public KernelDump {
    lines = List.copyOf(lines);
  }

  public static KernelDump of(String netns) {
    TreeSet<String> out = new TreeSet<>();
    try {
      for (JsonNode link : JSON.readTree(Cmd.check("ip", "-n", netns, "-json", "addr", "show"))) {
        String dev = link.path("ifname").asText();
        out.add("link " + dev + " " + link.path("address").asText() + " " + link.path("operstate").asText()
            + " mtu " + link.path("mtu").asText());
        for (JsonNode a : link.path("addr_info")) {
          out.add("addr " + dev + " " + a.path("family").asText() + " " + a.path("local").asText() + "/" + a.path("prefixlen").asText()
              + (a.path("noprefixroute").asBoolean(false) ? " noprefixroute" : ""));
        }
        if (!"lo".equals(dev)) {
          for (String s : SYSCTLS) {
            Cmd.Result r = Cmd.run(List.of("ip", "netns", "exec", netns, "cat", "/proc/sys/net/ipv4/conf/" + dev + "/" + s), 5000);
            out.add("sysctl " + dev + " " + s + "=" + r.out().strip());
          }
        }
      }
      for (JsonNode r : JSON.readTree(Cmd.check("ip", "-n", netns, "-4", "-json", "route", "show", "table", "all"))) {
        out.add("route table " + r.path("table").asText("main") + " " + r.path("dst").asText()
            + field(r, "gateway", " via ") + field(r, "dev", " dev ") + field(r, "protocol", " proto ")
            + field(r, "scope", " scope ") + field(r, "prefsrc", " src ") + field(r, "type", " type "));
      }
      for (JsonNode r : JSON.readTree(Cmd.check("ip", "-n", netns, "-4", "-json", "rule", "show"))) {
        out.add("rule " + r.path("priority").asText() + field(r, "src", " from ") + field(r, "srclen", "/")
            + field(r, "dst", " to ") + field(r, "dstlen", "/") + " lookup " + r.path("table").asText()
            + field(r, "protocol", " proto "));
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot parse ip -json output for " + netns, e);
    }
    return new KernelDump(new ArrayList<>(out));
  }

  private static String field(JsonNode n, String name, String prefix) {
    return n.has(name) ? prefix + n.get(name).asText() : "";
  }

  /** Lines only in this dump ("-") and only in {@code other} ("+"). Empty when equal. */
  public List<String> diff(KernelDump other) {
    List<String> d = new ArrayList<>();
    lines.stream().filter(l -> !other.lines.contains(l)).forEach(l -> d.add("- " + l));
    other.lines.stream().filter(l -> !lines.contains(l)).forEach(l -> d.add("+ " + l));
    return d;
  }
}
