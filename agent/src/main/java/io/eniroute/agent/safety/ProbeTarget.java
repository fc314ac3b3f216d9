package io.eniroute.agent.safety;

/**
 * Something that must stay reachable across a change. The {@link #name()} identifies the probe
 * across the before- and after-check (so a gateway that moved still counts as the same probe).
 */
public sealed interface ProbeTarget permits ProbeTarget.Gateway, ProbeTarget.GatewayArp, ProbeTarget.Tcp {

  /** Stable identity, e.g. {@code gateway:eth1:10.0.0.131}, {@code apiserver}, {@code tcp:10.0.0.10:443}. */
  String name();

  /** For people: what is probed and how. */
  String describe();

  /**
   * The gateway, pinged with {@code source} as source address, so the kernel picks the route by
   * the policy rule of that address (its own table): where policy-routing mistakes show up.
   */
  record Gateway(String iface, String source, String gateway, Long table) implements ProbeTarget {
    @Override
    public String name() {
      return "gateway:" + iface + ":" + source;
    }

    @Override
    public String describe() {
      return "gateway " + gateway + " from " + source
          + (table == null ? "" : " via table " + table) + " (" + iface + ")";
    }
  }

  /**
   * The gateway by ARP from {@code iface} with {@code source} as sender: for gateways that do
   * not answer ping. It proves the link and that the network accepts the address on that
   * interface (the VPC's source check covers ARP), not the route table, so it runs next to the
   * ICMP probe rather than instead of it: each can only fail a change if it passed before.
   */
  record GatewayArp(String iface, String source, String gateway) implements ProbeTarget {
    @Override
    public String name() {
      return "arp:" + iface + ":" + source;
    }

    @Override
    public String describe() {
      return "gateway " + gateway + " by ARP from " + source + " on " + iface;
    }
  }

  /** A TCP connect to host:port, e.g. the API server or a target from spec.safety.tcpProbes. */
  record Tcp(String name, String host, int port) implements ProbeTarget {
    @Override
    public String describe() {
      return ("apiserver".equals(name) ? "API server " : "TCP ") + host + ":" + port;
    }
  }
}
