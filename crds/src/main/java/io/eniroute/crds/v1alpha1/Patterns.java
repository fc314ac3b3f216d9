package io.eniroute.crds.v1alpha1;

/** Regular expressions used by the schema. Kept together so tests and docs quote one source. */
public final class Patterns {
  public static final String IPV4_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  public static final String IPV4 = "^(" + IPV4_OCTET + "\\.){3}" + IPV4_OCTET + "$";
  public static final String IPV4_CIDR =
      "^(" + IPV4_OCTET + "\\.){3}" + IPV4_OCTET + "/(3[0-2]|[12]?[0-9])$";
  /** An address with an optional prefix length (10.0.0.130 or 10.0.0.130/24). */
  public static final String IPV4_MAYBE_CIDR =
      "^(" + IPV4_OCTET + "\\.){3}" + IPV4_OCTET + "(/(3[0-2]|[12]?[0-9]))?$";
  public static final String MAC = "^([0-9a-f]{2}:){5}[0-9a-f]{2}$";
  /** host:port for TCP probes; host is a DNS name or an IPv4 address. */
  public static final String HOST_PORT =
      "^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$";
  /**
   * An interface name or glob: * ? and bracket sets of characters or ranges ([0-9], [13], [a-c0]);
   * an unclosed, empty or nested bracket is refused. The length (at most 15, like an interface
   * name) is a separate maxLength; a reversed range ([3-1]) is refused by the agent.
   */
  public static final String IFNAME_GLOB =
      "^([A-Za-z0-9_.:*?-]|\\[([A-Za-z0-9_.:](-[A-Za-z0-9_.:])?)+\\])+$";
  public static final String PERCENT = "^(100|[1-9][0-9]?)%$";
  public static final String SUBNET_ID = "^subnet-[0-9a-f]{8,17}$";
  public static final String SECURITY_GROUP_ID = "^sg-[0-9a-f]{8,17}$";
  public static final String ENI_ID = "^eni-[0-9a-f]{8,17}$";

  private Patterns() {}
}
