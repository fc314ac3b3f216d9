package io.eniroute.agent.engine;

/**
 * One kernel change and the change that undoes it.
 *
 * <p>{@link Kind#IP}: {@code command}/{@code inverse} are iproute2 batch lines without the
 * leading {@code ip} (e.g. {@code rule add priority 10001 from 10.0.0.130/32 lookup 10001 protocol 228}).
 * {@link Kind#SYSCTL}: they are {@code net/ipv4/conf/IF/NAME=VALUE}.
 */
public record Op(Kind kind, String command, String inverse) {
  public enum Kind { SYSCTL, IP }

  public static Op ip(String command, String inverse) {
    return new Op(Kind.IP, command, inverse);
  }

  public static Op sysctl(String key, String value, String previous) {
    return new Op(Kind.SYSCTL, key + "=" + value, key + "=" + previous);
  }

  public Op inverted() {
    return new Op(kind, inverse, command);
  }

  /** The op as a person would type it: {@code ip -n NS rule add ...} or {@code sysctl -w net.ipv4...=2}. */
  public String display(String ipPrefix, String netns) {
    if (kind == Kind.IP) {
      return ipPrefix + " " + command;
    }
    int eq = command.indexOf('=');
    String[] parts = command.substring(0, eq).split("/");
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      key.append(i == 0 ? "" : ".").append(parts[i].replace('.', '/'));
    }
    String cmd = "sysctl -w " + key + "=" + command.substring(eq + 1);
    return netns == null ? cmd : "ip netns exec " + netns + " " + cmd;
  }
}
