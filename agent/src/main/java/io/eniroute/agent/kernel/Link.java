package io.eniroute.agent.kernel;

/**
 * A network interface as {@code ip -d -json link} shows it.
 *
 * @param kind {@code linkinfo.info_kind} (veth, bridge, dummy...), null for a physical NIC
 * @param master the bridge/bond it is enslaved to, null when none
 */
public record Link(int ifindex, String name, String mac, String kind, String master, boolean loopback, boolean up) {}
