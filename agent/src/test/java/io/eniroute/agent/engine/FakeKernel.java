package io.eniroute.agent.engine;

import io.eniroute.agent.kernel.Address;
import io.eniroute.agent.kernel.BatchResult;
import io.eniroute.agent.kernel.Kernel;
import io.eniroute.agent.kernel.KernelState;
import io.eniroute.agent.kernel.Link;
import io.eniroute.agent.kernel.Route;
import io.eniroute.agent.kernel.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A simulated kernel that executes the iproute2 batch lines the engine renders (parsing them, so
 * the rendering is exercised too) with the kernel's checks that matter here: no duplicate route
 * per table/destination/metric unless appended, no duplicate rule, a source address must exist,
 * a gateway must be covered by a link route of the table or main, deletes must match.
 */
final class FakeKernel implements Kernel {
  final List<Link> links = new ArrayList<>();
  final List<Address> addresses = new ArrayList<>();
  final List<Rule> rules = new ArrayList<>();
  final List<Route> routes = new ArrayList<>();
  final Map<String, String> sysctls = new HashMap<>();
  int writes;
  /** Lines the kernel refuses ("Operation not permitted"), to inject a failure at a chosen command. */
  Predicate<String> refuse = line -> false;
  /** Runs once after the next write (a batch or sysctls): another tool changing the node meanwhile. */
  Runnable afterNextWrite;

  @Override
  public KernelState observe() {
    return new KernelState(links, addresses, rules, routes, sysctls);
  }

  @Override
  public String netns() {
    return "fake";
  }

  @Override
  public void writeSysctls(Map<String, String> values) {
    sysctls.putAll(values);
    writes += values.size();
    othersWrite();
  }

  private void othersWrite() {
    Runnable r = afterNextWrite;
    afterNextWrite = null;
    if (r != null) {
      r.run();
    }
  }

  @Override
  public BatchResult batch(List<String> lines, boolean force) {
    int done = 0;
    String firstError = null;
    int failed = -1;
    for (int i = 0; i < lines.size(); i++) {
      String err = exec(lines.get(i));
      if (err == null) {
        done++;
        writes++;
      } else if (!force) {
        othersWrite();
        return new BatchResult(done, i, err);
      } else if (firstError == null) {
        firstError = err;
        failed = i;
      }
    }
    othersWrite();
    return new BatchResult(done, failed, firstError);
  }

  /** Runs one line; returns the kernel's error or null. */
  String exec(String line) {
    if (refuse.test(line)) {
      return "Operation not permitted";
    }
    String[] w = line.split(" ");
    Map<String, String> kv = new HashMap<>();
    for (int i = 3; i + 1 < w.length; i += 2) {
      kv.put(w[i], w[i + 1]);
    }
    return switch (w[0] + " " + w[1]) {
      case "address add" -> addAddress(w[2], w[4], line.contains("noprefixroute"));
      case "address del" -> addresses.removeIf(a -> a.cidr().equals(w[2]) && a.dev().equals(w[4]))
          ? null : "Cannot assign requested address";
      case "route add", "route append", "route replace", "route del" -> route(w[1], parseRoute(w));
      case "rule add", "rule del" -> rule(w[1], parseRule(w));
      default -> "unknown command " + line;
    };
  }

  private String addAddress(String cidr, String dev, boolean noprefix) {
    if (links.stream().noneMatch(l -> l.name().equals(dev))) {
      return "Cannot find device " + dev;
    }
    String ip = Ipv4.addressOf(cidr);
    if (addresses.stream().anyMatch(a -> a.dev().equals(dev) && a.address().equals(ip))) {
      return "File exists";
    }
    int len = Ipv4.prefixOf(cidr);
    boolean secondary = addresses.stream().anyMatch(a -> a.dev().equals(dev)
        && Ipv4.network(a.address(), a.prefix()).equals(Ipv4.network(ip, len)));
    addresses.add(new Address(dev, ip, len, secondary));
    if (!noprefix && !secondary) {
      routes.add(new Route(Route.MAIN, Ipv4.network(ip, len), null, dev, 253, ip, 2, 0));
    }
    return null;
  }

  private static Route parseRoute(String[] w) {
    String dst = w[2].equals("default") ? "0.0.0.0/0" : w[2];
    String gw = null;
    String dev = null;
    long table = Route.MAIN;
    int proto = 3;
    int scope = 0;
    String src = null;
    int metric = 0;
    for (int i = 3; i + 1 < w.length; i += 2) {
      switch (w[i]) {
        case "via" -> gw = w[i + 1];
        case "dev" -> dev = w[i + 1];
        case "table" -> table = Long.parseLong(w[i + 1]);
        case "proto" -> proto = Integer.parseInt(w[i + 1]);
        case "scope" -> scope = w[i + 1].equals("link") ? 253 : Integer.parseInt(w[i + 1]);
        case "src" -> src = w[i + 1];
        case "metric" -> metric = Integer.parseInt(w[i + 1]);
        default -> throw new IllegalArgumentException("unknown route word " + w[i]);
      }
    }
    return new Route(table, dst, gw, dev, scope, src, proto, metric);
  }

  private String route(String verb, Route r) {
    if (verb.equals("del")) {
      return routes.removeIf(x -> x.key().equals(r.key()) && x.protocol() == r.protocol()
          && (r.dev() == null || r.dev().equals(x.dev()))) ? null : "No such process";
    }
    if (links.stream().noneMatch(l -> l.name().equals(r.dev()))) {
      return "Cannot find device " + r.dev();
    }
    if (r.prefsrc() != null && addresses.stream().noneMatch(a -> a.address().equals(r.prefsrc()))) {
      return "Invalid prefsrc address";
    }
    if (r.gateway() != null && routes.stream().noneMatch(x -> (x.table() == r.table() || x.table() == Route.MAIN)
        && x.gateway() == null && x.dst().contains("/") && covers(x.dst(), r.gateway()))) {
      return "Nexthop has invalid gateway";
    }
    boolean exists = routes.stream().anyMatch(x -> x.key().equals(r.key()));
    switch (verb) {
      case "add" -> {
        if (exists) {
          return "File exists";
        }
      }
      case "append" -> {
        if (routes.contains(r)) {
          return "File exists";
        }
      }
      default -> routes.removeIf(x -> x.key().equals(r.key()));
    }
    routes.add(r);
    return null;
  }

  private static boolean covers(String cidr, String ip) {
    int len = Ipv4.prefixOf(cidr);
    return Ipv4.network(ip, len).equals(Ipv4.network(Ipv4.addressOf(cidr), len));
  }

  private static Rule parseRule(String[] w) {
    int prio = 0;
    String from = null;
    String to = null;
    Long table = null;
    int proto = 0;
    for (int i = 2; i + 1 < w.length; i += 2) {
      switch (w[i]) {
        case "priority" -> prio = Integer.parseInt(w[i + 1]);
        case "from" -> from = w[i + 1];
        case "to" -> to = w[i + 1];
        case "lookup" -> table = Long.parseLong(w[i + 1]);
        case "protocol" -> proto = Integer.parseInt(w[i + 1]);
        default -> throw new IllegalArgumentException("unknown rule word " + w[i]);
      }
    }
    return new Rule(prio, from, to, table, proto, false);
  }

  private String rule(String verb, Rule r) {
    if (verb.equals("del")) {
      return rules.remove(r) ? null : "No such file or directory";
    }
    if (rules.contains(r)) {
      return "File exists";
    }
    rules.add(r);
    return null;
  }
}
