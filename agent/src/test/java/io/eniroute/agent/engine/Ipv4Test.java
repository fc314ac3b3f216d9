package io.eniroute.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The first-host rule the planner's gateway and the probes' gateway share (ProbeTargetsGatewayTest). */
class Ipv4Test {

  @ParameterizedTest
  @CsvSource(nullValues = "none", value = {
      "10.0.0.0/24, 10.0.0.1", "10.0.0.130/24, 10.0.0.1", "10.0.0.0/16, 10.0.0.1", "10.0.0.128/25, 10.0.0.129",
      "10.0.0.8/30, 10.0.0.9", "0.0.0.0/0, 0.0.0.1", "10.0.0.8/31, none", "10.0.0.8/32, none", "10.0.0.8, none"})
  void theFirstHostOfASubnetAndNoneForSlash31AndSlash32(String cidr, String first) {
    assertThat(Ipv4.firstHost(cidr)).isEqualTo(first);
  }
}
