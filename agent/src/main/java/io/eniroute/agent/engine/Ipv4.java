package io.eniroute.agent.engine;

import java.util.regex.Pattern;

/** IPv4 addresses and prefixes as ints: parsing, validation, network of an address. */
public final class Ipv4 {
  private static final Pattern ADDR = Pattern.compile(
      "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

  private Ipv4() {}

  public static boolean isAddress(String s) {
    return s != null && ADDR.matcher(s).matches();
  }

  /** True for {@code a.b.c.d/len}; with {@code prefixOptional} also for a bare address. */
  public static boolean isCidr(String s, boolean prefixOptional) {
    if (s == null) {
      return false;
    }
    int slash = s.indexOf('/');
    if (slash < 0) {
      return prefixOptional && isAddress(s);
    }
    String len = s.substring(slash + 1);
    if (!len.matches("[0-9]{1,2}") || Integer.parseInt(len) > 32) {
      return false;
    }
    return isAddress(s.substring(0, slash));
  }

  public static int parse(String addr) {
    String[] p = addr.split("\\.");
    return (Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8)
        | Integer.parseInt(p[3]);
  }

  public static String format(int a) {
    return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
  }

  public static int mask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  /** The network of an address: {@code network("10.0.0.130", 24)} is {@code 10.0.0.0/24}. */
  public static String network(String addr, int prefix) {
    return format(parse(addr) & mask(prefix)) + "/" + prefix;
  }

  /**
   * The subnet's first host (the VPC gateway convention): 10.0.0.0/24 -> 10.0.0.1; null for a
   * /31 or /32 (and a bare address), which have no network address to count from. The one
   * definition the planner and the probes both use.
   */
  public static String firstHost(String cidr) {
    int prefix = prefixOf(cidr);
    if (prefix < 0 || prefix >= 31) {
      return null;
    }
    return format((parse(addressOf(cidr)) & mask(prefix)) + 1);
  }

  public static String addressOf(String maybeCidr) {
    int slash = maybeCidr.indexOf('/');
    return slash < 0 ? maybeCidr : maybeCidr.substring(0, slash);
  }

  /** The prefix length of {@code a/len}, or -1 for a bare address. */
  public static int prefixOf(String maybeCidr) {
    int slash = maybeCidr.indexOf('/');
    return slash < 0 ? -1 : Integer.parseInt(maybeCidr.substring(slash + 1));
  }
}
