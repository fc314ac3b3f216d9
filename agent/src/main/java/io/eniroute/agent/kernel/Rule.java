package io.eniroute.agent.kernel;

/**
 * One IPv4 policy rule. {@code from}/{@code to} are CIDRs or null for "all"; {@code table} is null
 * for rules with another action (goto, unreachable...); {@code other} is true when the rule also
 * matches on something this model does not carry (iif, fwmark, tos...), so it never equals ours.
 */
public record Rule(int priority, String from, String to, Long table, int protocol, boolean other) {

  /** The iproute2 words that identify this rule (after {@code rule add|del}). */
  public String render() {
    StringBuilder sb = new StringBuilder("priority ").append(priority);
    if (from != null) {
      sb.append(" from ").append(from);
    }
    if (to != null) {
      sb.append(" to ").append(to);
    }
    if (table != null) {
      sb.append(" lookup ").append(table);
    }
    return sb.append(" protocol ").append(protocol).toString();
  }

  public String describe() {
    return "rule " + render().replace(" protocol " + protocol, "") + " (protocol " + protocol + ")";
  }
}
