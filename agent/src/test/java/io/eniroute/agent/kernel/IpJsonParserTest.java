package io.eniroute.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Parsing real {@code ip -4 -d -N -json -batch} output (captured from iproute2 6.1 on kernel 6.18). */
class IpJsonParserTest {
  private static final String LINKS = "[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\",\"UP\"],\"address\":\"00:00:00:00:00:00\"},"
      + "{\"ifindex\":2,\"ifname\":\"br0\",\"flags\":[\"BROADCAST\"],\"address\":\"02:e0:00:00:00:01\",\"linkinfo\":{\"info_kind\":\"bridge\"}},"
      + "{\"ifindex\":3,\"ifname\":\"p0\",\"master\":\"br0\",\"flags\":[\"UP\"],\"address\":\"9e:2d:2f:93:34:2b\",\"linkinfo\":{\"info_kind\":\"veth\",\"info_slave_kind\":\"bridge\"}},"
      + "{\"ifindex\":4,\"link_index\":2,\"ifname\":\"eth1\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"UP\"],\"address\":\"02:aa:00:00:00:01\",\"link_netnsid\":0,\"linkinfo\":{\"info_kind\":\"veth\"}}]";
  private static final String ADDRS = "[{\"ifindex\":4,\"ifname\":\"eth1\",\"addr_info\":["
      + "{\"family\":\"inet\",\"local\":\"10.0.0.6\",\"prefixlen\":24,\"scope\":\"0\",\"label\":\"eth1\"},"
      + "{\"family\":\"inet\",\"local\":\"10.0.0.7\",\"prefixlen\":24,\"scope\":\"0\",\"secondary\":true,\"noprefixroute\":true}]}]";
  private static final String RULES = "[{\"priority\":0,\"src\":\"all\",\"table\":\"255\",\"protocol\":\"2\"},"
      + "{\"priority\":512,\"src\":\"10.0.0.99\",\"table\":\"2\",\"protocol\":\"0\"},"
      + "{\"priority\":9999,\"src\":\"all\",\"dst\":\"172.17.0.0\",\"dstlen\":16,\"table\":\"254\",\"protocol\":\"228\"},"
      + "{\"priority\":100,\"src\":\"all\",\"fwmark\":\"0x1\",\"table\":\"7\",\"protocol\":\"0\"},"
      + "{\"priority\":200,\"src\":\"all\",\"action\":\"unreachable\",\"protocol\":\"0\"}]";
  private static final String ROUTES = "[{\"type\":\"1\",\"dst\":\"10.0.0.0/24\",\"dev\":\"eth1\",\"table\":\"10001\",\"protocol\":\"228\",\"scope\":\"253\",\"prefsrc\":\"10.0.0.6\",\"flags\":[\"linkdown\"]},"
      + "{\"type\":\"1\",\"dst\":\"default\",\"gateway\":\"10.0.0.1\",\"dev\":\"eth1\",\"table\":\"254\",\"protocol\":\"3\",\"scope\":\"0\",\"metric\":5,\"flags\":[]},"
      + "{\"type\":\"2\",\"dst\":\"10.0.0.6\",\"dev\":\"eth1\",\"table\":\"255\",\"protocol\":\"2\",\"scope\":\"254\",\"prefsrc\":\"10.0.0.6\",\"flags\":[]},"
      + "{\"type\":\"1\",\"dst\":\"192.0.2.7\",\"dev\":\"eth1\",\"protocol\":\"4\",\"flags\":[]}]";

  private final IpJsonParser parser = new IpJsonParser();

  @Test
  void parsesLinksAddressesRulesAndUnicastRoutes() {
    var p = parser.parse(LINKS + "\n" + ADDRS + "\n" + RULES + "\n" + ROUTES + "\n");
    assertThat(p.links()).containsExactly(
        new Link(1, "lo", "00:00:00:00:00:00", null, null, true, true),
        new Link(2, "br0", "02:e0:00:00:00:01", "bridge", null, false, false),
        new Link(3, "p0", "9e:2d:2f:93:34:2b", "veth", "br0", false, true),
        new Link(4, "eth1", "02:aa:00:00:00:01", "veth", null, false, true));
    assertThat(p.addresses()).containsExactly(new Address("eth1", "10.0.0.6", 24, false),
        new Address("eth1", "10.0.0.7", 24, true));
    assertThat(p.rules()).containsExactly(
        new Rule(0, null, null, 255L, 2, false),
        new Rule(512, "10.0.0.99/32", null, 2L, 0, false),
        new Rule(9999, null, "172.17.0.0/16", 254L, 228, false),
        new Rule(100, null, null, 7L, 0, true),
        new Rule(200, null, null, null, 0, true));
    assertThat(p.routes()).containsExactly(
        new Route(10001, "10.0.0.0/24", null, "eth1", 253, "10.0.0.6", 228, 0),
        new Route(254, "0.0.0.0/0", "10.0.0.1", "eth1", 0, null, 3, 5),
        new Route(254, "192.0.2.7/32", null, "eth1", 0, null, 4, 0));
  }

  @Test
  void rendersWhatItParsesAsIproute2Words() {
    assertThat(new Rule(9999, null, "172.17.0.0/16", 254L, 228, false).render())
        .isEqualTo("priority 9999 to 172.17.0.0/16 lookup 254 protocol 228");
    assertThat(new Route(254, "0.0.0.0/0", "10.0.0.1", "eth1", 0, null, 3, 5).render())
        .isEqualTo("default via 10.0.0.1 dev eth1 table 254 proto 3 metric 5");
  }

  @Test
  void truncatedOutputIsAClearError() {
    assertThatThrownBy(() -> parser.parse(LINKS + "\n" + ADDRS + "\n"))
        .isInstanceOf(KernelException.class).hasMessageContaining("printed 2 results, expected 4");
    assertThatThrownBy(() -> parser.parse("[{\"ifindex\":1,"))
        .isInstanceOf(KernelException.class).hasMessageContaining("cannot parse ip -json output");
  }
}
