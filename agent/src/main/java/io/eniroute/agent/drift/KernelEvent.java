package io.eniroute.agent.drift;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code ip -o monitor link address route rule}, reduced to what decides whether
 * eniroute cares. (iproute2 6.1 ignores {@code -json} for monitor, so this parses the one-line
 * text form, which is stable across versions.)
 *
 * @param kind LINK, ADDRESS, ROUTE, RULE or OTHER
 * @param deleted the line started with "Deleted"
 * @param device the interface (link, address, route dev), or null
 * @param table route table or rule lookup target ("main", "local", "10001"...), or null
 * @param priority rule priority (unsigned 32-bit, so a long), or null
 * @param proto the object's iproute2 protocol ("228", "kernel"...), or null
 * @param prefix route destination ("10.0.0.0/24", "default"), or null
 * @param line the raw line, for logs
 */
public record KernelEvent(Kind kind, boolean deleted, String device, String table, Long priority,
    String proto, String prefix, String line) {

  public enum Kind { LINK, ADDRESS, ROUTE, RULE, OTHER }

  private static final Pattern LINK = Pattern.compile("^\\d+: ([^:@\\s]+)(@\\S*)?: <");
  private static final Pattern ADDRESS = Pattern.compile("^\\d+: (\\S+)\\s+inet6? ");
  private static final Pattern RULE = Pattern.compile("^(\\d+):\\s");
  private static final Pattern TABLE = Pattern.compile("\\s(?:table|lookup) (\\S+)");
  private static final Pattern DEV = Pattern.compile("\\sdev (\\S+)");
  private static final Pattern PROTO = Pattern.compile("\\sproto (\\S+)");
  private static final java.util.Set<String> ROUTE_TYPES = java.util.Set.of(
      "unicast", "local", "broadcast", "multicast", "anycast", "unreachable", "blackhole", "prohibit", "throw", "nat");

  /** Parses one monitor line; never throws (an unknown line is OTHER, which is treated as relevant). */
  public static KernelEvent parse(String raw) {
    String line = raw.strip();
    boolean deleted = line.startsWith("Deleted ");
    if (deleted) {
      line = line.substring("Deleted ".length());
    }
    Matcher m;
    if ((m = LINK.matcher(line)).find()) {
      return new KernelEvent(Kind.LINK, deleted, m.group(1), null, null, null, null, raw);
    }
    if ((m = ADDRESS.matcher(line)).find()) {
      return new KernelEvent(Kind.ADDRESS, deleted, m.group(1), null, null, null, null, raw);
    }
    if ((m = RULE.matcher(line)).find()) {
      return new KernelEvent(Kind.RULE, deleted, null, group(TABLE, line), Long.valueOf(m.group(1)),
          group(PROTO, line), null, raw);
    }
    String[] words = line.split("\\s+");
    if (words.length == 0 || words[0].isEmpty()) {
      return new KernelEvent(Kind.OTHER, deleted, null, null, null, null, null, raw);
    }
    String prefix = ROUTE_TYPES.contains(words[0]) && words.length > 1 ? words[1] : words[0];
    String table = group(TABLE, line);
    return new KernelEvent(Kind.ROUTE, deleted, group(DEV, line), table == null ? "main" : table, null,
        group(PROTO, line), prefix, raw);
  }

  /**
   * A sysctl of interface DEV changed ({@code key} is {@code net/ipv4/conf/DEV/NAME}): reported
   * as a LINK event of DEV, since that is what the interface's sysctls belong to.
   */
  public static KernelEvent sysctl(String key, String before, String after) {
    String[] parts = key.split("/");
    String dev = parts.length >= 2 ? parts[parts.length - 2] : key;
    return new KernelEvent(Kind.LINK, false, dev, null, null, null, null,
        "sysctl " + key.replace('/', '.') + " " + before + " -> " + after);
  }

  private static String group(Pattern p, String line) {
    Matcher m = p.matcher(line);
    return m.find() ? m.group(1) : null;
  }
}
