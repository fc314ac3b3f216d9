package io.eniroute.agent.safety;

import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.lab.Lab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The seed's machine in the lab: eth0 (10.0.0.128, .129) and eth1 (10.0.0.130, .131) on one
 * subnet, configured by hand the naive way, plus what the safety tests need to look at it.
 */
final class SeedNode {
  static final List<String> ADDRESSES = List.of("10.0.0.128", "10.0.0.129", "10.0.0.130", "10.0.0.131");
  final Lab lab;
  final String node;
  final String netns;
  final String eth1Mac;

  SeedNode(Lab lab, String node) {
    this.lab = lab;
    this.node = node;
    this.netns = lab.addNode(node);
    String mac0 = lab.macFor(0);
    eth1Mac = lab.macFor(1);
    lab.attachEni(node, "eth0", mac0);
    lab.attachEni(node, "eth1", eth1Mac);
    lab.assignAddresses(node, mac0, ADDRESSES.subList(0, 2));
    lab.assignAddresses(node, eth1Mac, ADDRESSES.subList(2, 4));
    lab.configureNaive(node);
  }

  /** The good config: every interface managed, default numbering, probes within 2 s. */
  static NodeNetworkConfigSpec goodSpec() {
    NodeNetworkConfigSpec s = new NodeNetworkConfigSpec();
    s.getSafety().setProbeTimeoutSeconds(2);
    return s;
  }

  /** Every IPv4 rule, route (all tables but local) and address: equal dumps mean equal routing. */
  String dump() {
    List<String> lines = new ArrayList<>();
    lines.addAll(prefixed("rule ", lab.exec(node, "ip", "-4", "rule", "show")));
    lines.addAll(prefixed("route ", lab.exec(node, "ip", "-4", "route", "show", "table", "all")).stream()
        .filter(l -> !l.contains("table local")).toList());
    lines.addAll(prefixed("addr ", lab.exec(node, "ip", "-4", "-o", "addr", "show")).stream()
        .map(l -> l.replaceAll("\\\\\\s+valid_lft.*", "")).toList());
    return lines.stream().map(l -> l.replace(" linkdown", "").strip()).sorted().collect(Collectors.joining("\n"));
  }

  /** Addresses that do not answer the client (empty: all do). */
  List<String> silentAddresses() {
    return ADDRESSES.stream().filter(a -> !lab.pingFromClient(a, 1, Duration.ofSeconds(2))).toList();
  }

  private static List<String> prefixed(String p, String out) {
    return Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).map(l -> p + l).toList();
  }
}
