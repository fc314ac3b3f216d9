package io.eniroute.agent.kernel;

/**
 * One IPv4 unicast route. {@code dst} is a CIDR ({@code 0.0.0.0/0} for default), {@code scope}
 * the numeric scope (0 global, 253 link), {@code metric} 0 when unset.
 */
public record Route(long table, String dst, String gateway, String dev, int scope, String prefsrc,
    int protocol, int metric) {

  public static final long MAIN = 254;

  /** The iproute2 words for this route (after {@code route add|del|replace}). */
  public String render() {
    StringBuilder sb = new StringBuilder(dst.equals("0.0.0.0/0") ? "default" : dst);
    if (gateway != null) {
      sb.append(" via ").append(gateway);
    }
    if (dev != null) {
      sb.append(" dev ").append(dev);
    }
    sb.append(" table ").append(table).append(" proto ").append(protocol);
    if (scope == 253) {
      sb.append(" scope link");
    } else if (scope != 0) {
      sb.append(" scope ").append(scope);
    }
    if (prefsrc != null) {
      sb.append(" src ").append(prefsrc);
    }
    if (metric != 0) {
      sb.append(" metric ").append(metric);
    }
    return sb.toString();
  }

  /** Identity in the kernel's FIB: one route per table, destination and metric. */
  public String key() {
    return table + "|" + dst + "|" + metric;
  }
}
