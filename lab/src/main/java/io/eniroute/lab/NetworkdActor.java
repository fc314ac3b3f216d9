package io.eniroute.lab;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * systemd-networkd as a co-tenant on one lab node, with its defaults ManageForeignRoutingPolicyRules=yes
 * and ManageForeignRoutes=yes: when it (re)configures links (boot, {@code networkctl reload}, a link
 * event, a restart) it removes every routing policy rule and every route it did not configure
 * itself. Modelled on systemd/systemd src/network/networkd-manager.c (manage_foreign_routes and
 * manage_foreign_rules default to true), networkd-routing-policy-rule.c (a received rule it does
 * not know is remembered as foreign when manage_foreign_rules, and foreign rules are dropped on
 * reconfiguration, except the kernel's own at priorities 0, 32766, 32767) and networkd-route.c
 * (foreign routes dropped likewise, the kernel's own prefix and local routes kept).
 *
 * <p>"What networkd configured itself" is taken from the node as it was when the actor was
 * created (the addresses and routes a .network file with DHCP would give it).
 */
public final class NetworkdActor {
  private static final Set<String> KERNEL_RULE_PRIORITIES = Set.of("0", "32766", "32767");

  private final Lab lab;
  private final String node;
  private final Set<String> ownRoutes;

  public NetworkdActor(Lab lab, String node) {
    this.lab = lab;
    this.node = node;
    this.ownRoutes = new HashSet<>(routes());
  }

  /**
   * What networkd does on reconfiguration without the drop-in: deletes every foreign rule and
   * every foreign route (all tables but local). Returns how many of each it deleted, "rules routes".
   */
  public String reconfigure() {
    List<String> lines = new ArrayList<>();
    int rules = 0;
    for (String line : lab.exec(node, "ip", "-4", "rule", "show").split("\n")) {
      String l = line.strip();
      int colon = l.indexOf(':');
      if (colon <= 0 || KERNEL_RULE_PRIORITIES.contains(l.substring(0, colon))) {
        continue;
      }
      lines.add("rule del priority " + l.substring(0, colon) + " " + l.substring(colon + 1).strip());
      rules++;
    }
    int routes = 0;
    for (String r : routes()) {
      if (!ownRoutes.contains(r) && !r.contains(" proto kernel")) {
        lines.add("route del " + r);
        routes++;
      }
    }
    if (!lines.isEmpty()) {
      lab.ipBatch(node, lines.toArray(String[]::new));
    }
    return rules + " " + routes;
  }

  private List<String> routes() {
    List<String> out = new ArrayList<>();
    for (String line : lab.exec(node, "ip", "-4", "route", "show", "table", "all").split("\n")) {
      String l = line.strip().replace(" linkdown", "");
      if (l.isEmpty() || l.startsWith("local ") || l.startsWith("broadcast ") || l.contains(" table local")) {
        continue;
      }
      out.add(l.contains(" table ") ? l : l + " table main");
    }
    return out;
  }
}
