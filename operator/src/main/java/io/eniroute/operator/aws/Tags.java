package io.eniroute.operator.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tags by which eniroute recognises what it added, so that release is restart-safe: EC2 is
 * the only record.
 *
 * <ul>
 *   <li>Interfaces eniroute created carry {@link #MANAGED}=true, {@link #INSTANCE}, {@link #NODE} and
 *       {@link #CNI_NO_MANAGE}=true (so the VPC CNI does not give their addresses to pods).
 *   <li>Secondary addresses eniroute assigned to an interface it did NOT create (the primary) are
 *       listed, space separated, in {@link #SECONDARY_IPS} (continued in {@code -2}, {@code -3}, ...
 *       because a tag value holds at most 256 characters).
 *   <li>Elastic IP allocations eniroute associated carry {@link #ASSOCIATED_INSTANCE} and the private
 *       address they were associated with in {@link #ASSOCIATED_ADDRESS}.
 *   <li>Surplus withdrawn from the node's config but not yet released (the agent may still use it)
 *       is marked with the policy generation whose config stopped listing it: an interface eniroute
 *       created in {@link #RETIRING}, secondary addresses as {@code ip@generation} in
 *       {@link #RETIRING_IPS} (continued like the secondary address record).
 * </ul>
 */
public final class Tags {
  public static final String MANAGED = "eniroute.io/managed";
  public static final String INSTANCE = "eniroute.io/instance";
  public static final String NODE = "eniroute.io/node";
  public static final String SECONDARY_IPS = "eniroute.io/secondary-ips";
  public static final String ASSOCIATED_INSTANCE = "eniroute.io/associated-instance";
  public static final String ASSOCIATED_ADDRESS = "eniroute.io/associated-address";
  public static final String RETIRING = "eniroute.io/retiring";
  public static final String RETIRING_IPS = "eniroute.io/retiring-ips";
  /**
   * On an interface eniroute did not create, while an AssignPrivateIpAddresses may be in flight:
   * the count asked for, then the secondary addresses the interface had before, space separated
   * (continued in {@code -2}, {@code -3}, ...). See {@link AssignIntents}.
   */
  public static final String ASSIGNING = "eniroute.io/assigning";
  /**
   * The AWS VPC CNI's opt-out: ipamd leaves an interface with this tag alone instead of handing its
   * addresses to pods (aws/amazon-vpc-cni-k8s pkg/ipamd/ipamd.go, eniNoManageTagKey).
   */
  public static final String CNI_NO_MANAGE = "node.k8s.amazonaws.com/no_manage";

  private static final int MAX_VALUE = 256;

  private Tags() {}

  /** Tags for an interface eniroute creates. */
  public static Map<String, String> created(String instanceId, String node) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(MANAGED, "true");
    tags.put(INSTANCE, instanceId);
    tags.put(NODE, node);
    tags.put(CNI_NO_MANAGE, "true");
    return tags;
  }

  /** Secondary addresses recorded on an interface (empty when none). */
  public static Set<String> recordedSecondaryIps(Map<String, String> tags) {
    return recorded(SECONDARY_IPS, tags);
  }

  /** Retiring secondary addresses of an interface: address to the generation that stopped listing it. */
  public static Map<String, Long> retiringIps(Map<String, String> tags) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String entry : recorded(RETIRING_IPS, tags)) {
      int at = entry.lastIndexOf('@');
      if (at > 0) {
        out.put(entry.substring(0, at), parseGeneration(entry.substring(at + 1)));
      }
    }
    return out;
  }

  /** The generation an interface eniroute created was retired at, empty when it is not retiring. */
  public static OptionalLong retiringSince(Map<String, String> tags) {
    String v = tags.get(RETIRING);
    return v == null ? OptionalLong.empty() : OptionalLong.of(parseGeneration(v));
  }

  /** The record tags that list {@code retiring} (address to generation). */
  public static Map<String, String> retiringIpRecord(Map<String, Long> retiring) {
    Set<String> entries = new LinkedHashSet<>();
    retiring.forEach((ip, gen) -> entries.add(ip + "@" + gen));
    return split(RETIRING_IPS, entries);
  }

  /** Keys of the retiring address record present in {@code tags}. */
  public static List<String> retiringKeys(Map<String, String> tags) {
    return keys(RETIRING_IPS, tags);
  }

  // A value that is not a number was not written by eniroute's marking: treat it as retired at 0, released at once.
  private static long parseGeneration(String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Set<String> recorded(String prefix, Map<String, String> tags) {
    Set<String> out = new LinkedHashSet<>();
    for (String key : keys(prefix, tags)) {
      for (String ip : tags.get(key).trim().split("\\s+")) {
        if (!ip.isEmpty()) {
          out.add(ip);
        }
      }
    }
    return out;
  }

  /** The record tags that list {@code ips}, split so every value fits EC2's 256 characters. */
  public static Map<String, String> secondaryIpRecord(Set<String> ips) {
    return split(SECONDARY_IPS, ips);
  }

  /** Keys of the secondary address record present in {@code tags}. */
  public static List<String> recordKeys(Map<String, String> tags) {
    return keys(SECONDARY_IPS, tags);
  }

  /** The intent tags of an AssignPrivateIpAddresses of {@code count} on an interface holding {@code before}. */
  public static Map<String, String> assigning(int count, List<String> before) {
    List<String> tokens = new ArrayList<>();
    tokens.add(Integer.toString(count));
    tokens.addAll(before);
    return split(ASSIGNING, tokens);
  }

  /** Keys of the intent tags present in {@code tags}. */
  public static List<String> assigningKeys(Map<String, String> tags) {
    return keys(ASSIGNING, tags);
  }

  /** The intent's count and the addresses before, in that order (empty when there is no intent). */
  static List<String> assigningTokens(Map<String, String> tags) {
    List<String> out = new ArrayList<>();
    for (String key : assigningKeys(tags)) {
      for (String t : tags.get(key).trim().split("\\s+")) {
        if (!t.isEmpty()) {
          out.add(t);
        }
      }
    }
    return out;
  }

  // Space separated values under base, base-2, base-3, ...: each fits EC2's 256 characters.
  private static Map<String, String> split(String base, Iterable<String> tokens) {
    Map<String, String> out = new LinkedHashMap<>();
    StringBuilder value = new StringBuilder();
    for (String t : tokens) {
      if (value.length() + 1 + t.length() > MAX_VALUE) {
        out.put(key(base, out.size() + 1), value.toString());
        value.setLength(0);
      }
      value.append(value.isEmpty() ? "" : " ").append(t);
    }
    if (!value.isEmpty()) {
      out.put(key(base, out.size() + 1), value.toString());
    }
    return out;
  }

  // base first, then base-2, base-3, ... in number order.
  private static List<String> keys(String base, Map<String, String> tags) {
    List<String> keys = new ArrayList<>();
    String numbered = java.util.regex.Pattern.quote(base) + "-[0-9]{1,3}";
    new TreeMap<>(tags).keySet().stream().filter(k -> k.equals(base) || k.matches(numbered)).forEach(keys::add);
    keys.sort(java.util.Comparator.comparingInt(k -> k.equals(base) ? 1 : Integer.parseInt(k.substring(base.length() + 1))));
    return keys;
  }

  private static String key(String base, int n) {
    return n == 1 ? base : base + "-" + n;
  }
}
