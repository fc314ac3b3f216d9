package io.eniroute.agent.engine;

import io.eniroute.agent.kernel.Route;
import io.eniroute.agent.kernel.Rule;
import java.util.List;
import java.util.Map;

/**
 * What the kernel should look like for one spec.
 *
 * @param addressesToAdd {@code dev -> a/len} pairs as {@code [dev, cidr]}
 * @param routes every route eniroute should own (protocol 228)
 * @param rules every rule eniroute should own (protocol 228)
 * @param sysctls {@code net/ipv4/conf/IF/NAME} -> value
 * @param mainRemovals foreign main-table routes to remove (duplicate subnet routes)
 * @param mainRemovalTargets {@code "subnet dev"} pairs whose main route the config keeps out of main
 * @param ownedPriorities priorities eniroute uses: a foreign rule there is a conflict
 * @param ownedTables tables eniroute uses: a foreign route there is a conflict
 * @param linksToBringUp managed interfaces that are down (an ENI nothing configured): set up first
 * @param addressesToRemove {@code [dev, a/len]} addresses eniroute added that the spec no longer lists
 */
public record Desired(Selection selection, List<String[]> addressesToAdd, List<Route> routes, List<Rule> rules,
    Map<String, String> sysctls, List<Route> mainRemovals, java.util.Set<String> mainRemovalTargets, Map<Integer, String> ownedPriorities,
    Map<Long, String> ownedTables, List<String> linksToBringUp,
    List<String[]> addressesToRemove) {}
