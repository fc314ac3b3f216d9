package io.eniroute.agent.engine;

import java.util.List;

/**
 * An interface eniroute routes, with its numbering.
 *
 * @param addresses every IPv4 address it carries or must carry (bare addresses)
 * @param toAdd addresses the spec asks for that are missing ({@code a/len})
 * @param hasTable false for the primary when {@code primaryRules} is off
 */
public record ManagedInterface(String name, String mac, int ifindex, int networkCard, int deviceIndex,
    boolean primary, String subnet, String primaryAddress, List<String> addresses, List<String> toAdd,
    long table, int priority, String gateway, boolean hasTable) {}
