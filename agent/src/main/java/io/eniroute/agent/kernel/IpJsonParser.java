package io.eniroute.agent.kernel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Parses the output of {@code ip -4 -d -N -json -batch -} running, in this order, {@code link show},
 * {@code addr show}, {@code rule show}, {@code route show table all type unicast} (the local
 * table's hundreds of local/broadcast routes are never ours): one JSON array per command.
 * {@code -N} makes tables, protocols, scopes and types numeric, so names in rt_tables never matter.
 */
public final class IpJsonParser {
  /** The batch the parser expects, in order. */
  public static final List<String> COMMANDS =
      List.of("link show", "addr show", "rule show", "route show table all type unicast");

  private static final Set<String> RULE_OTHER_SELECTORS = Set.of("iif", "oif", "fwmark", "tos", "dsfield",
      "uidrange", "ipproto", "sport", "dport", "l3mdev", "not", "suppress_prefixlen", "suppress_ifgroup",
      "realms", "goto", "tun_id", "flowlabel");

  private final ObjectMapper mapper = new ObjectMapper(new JsonFactory());

  /** Links, addresses, rules, routes parsed from the batch output. */
  public record Parsed(List<Link> links, List<Address> addresses, List<Rule> rules, List<Route> routes) {}

  public Parsed parse(String batchOutput) {
    List<JsonNode> arrays = new ArrayList<>(4);
    try (JsonParser p = mapper.getFactory().createParser(batchOutput)) {
      Iterator<JsonNode> it = mapper.readValues(p, JsonNode.class);
      while (it.hasNext()) {
        arrays.add(it.next());
      }
    } catch (IOException | RuntimeException e) {
      throw new KernelException("cannot parse ip -json output: " + e.getMessage(), e);
    }
    if (arrays.size() != COMMANDS.size()) {
      throw new KernelException("ip -json -batch printed " + arrays.size() + " results, expected " + COMMANDS.size());
    }
    return new Parsed(links(arrays.get(0)), addresses(arrays.get(1)), rules(arrays.get(2)), routes(arrays.get(3)));
  }

  private static List<Link> links(JsonNode arr) {
    List<Link> out = new ArrayList<>();
    for (JsonNode n : arr) {
      JsonNode info = n.path("linkinfo");
      String kind = text(info, "info_kind");
      String master = text(n, "master");
      if (master == null && info.has("info_slave_kind")) {
        master = "?";
      }
      boolean loopback = false;
      boolean up = false;
      for (JsonNode f : n.path("flags")) {
        loopback |= f.asText().equals("LOOPBACK");
        up |= f.asText().equals("UP");
      }
      out.add(new Link(n.path("ifindex").asInt(), n.path("ifname").asText(), text(n, "address"), kind,
          master, loopback, up));
    }
    return out;
  }

  private static List<Address> addresses(JsonNode arr) {
    List<Address> out = new ArrayList<>();
    for (JsonNode n : arr) {
      String dev = n.path("ifname").asText();
      for (JsonNode a : n.path("addr_info")) {
        if (!"inet".equals(a.path("family").asText())) {
          continue;
        }
        out.add(new Address(dev, a.path("local").asText(), a.path("prefixlen").asInt(32),
            a.path("secondary").asBoolean(false)));
      }
    }
    return out;
  }

  private static List<Rule> rules(JsonNode arr) {
    List<Rule> out = new ArrayList<>();
    for (JsonNode n : arr) {
      boolean other = false;
      for (String s : RULE_OTHER_SELECTORS) {
        other |= n.has(s);
      }
      String table = text(n, "table");
      other |= n.has("action") || table == null;
      out.add(new Rule(n.path("priority").asInt(), prefix(n, "src", "srclen"), prefix(n, "dst", "dstlen"),
          table == null ? null : Long.parseLong(table), n.path("protocol").asInt(0), other));
    }
    return out;
  }

  private static List<Route> routes(JsonNode arr) {
    List<Route> out = new ArrayList<>();
    for (JsonNode n : arr) {
      if (!"1".equals(n.path("type").asText("1"))) {
        continue; // local, broadcast, unreachable...: the kernel's or not routable through a table of ours
      }
      String dst = n.path("dst").asText();
      dst = dst.equals("default") ? "0.0.0.0/0" : dst.contains("/") ? dst : dst + "/32";
      String table = text(n, "table");
      out.add(new Route(table == null ? Route.MAIN : Long.parseLong(table), dst, text(n, "gateway"),
          text(n, "dev"), n.path("scope").asInt(0), text(n, "prefsrc"), n.path("protocol").asInt(0),
          n.path("metric").asInt(0)));
    }
    return out;
  }

  private static String prefix(JsonNode n, String addrField, String lenField) {
    String a = text(n, addrField);
    if (a == null || a.equals("all")) {
      return null;
    }
    return a.contains("/") ? a : a + "/" + n.path(lenField).asInt(32);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
