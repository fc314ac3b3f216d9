package io.eniroute.agent.kernel;

/** One IPv4 address on an interface. */
public record Address(String dev, String address, int prefix, boolean secondary) {
  public String cidr() {
    return address + "/" + prefix;
  }
}
