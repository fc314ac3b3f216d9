package io.eniroute.agent.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.agent.engine.Ipv4;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Before eniroute reports a gateway, the probes assume the one the planner would install. */
class ProbeTargetsGatewayTest {
  @ParameterizedTest
  @CsvSource(nullValues = "none", value = {"10.0.0.0/24, 10.0.0.1", "10.0.0.128/25, 10.0.0.129",
      "10.0.0.8/31, none", "10.0.0.8/32, none"})
  void theProbesAssumeThePlannersFirstHostAndNoneForSlash31AndSlash32(String subnet, String expected) {
    InterfaceStatus i = new InterfaceStatus();
    i.setName("eth1");
    i.setSubnet(subnet);

    String probed = ProbeTargets.gateway(new NodeNetworkConfigSpec(), i);

    assertThat(probed).isEqualTo(expected).isEqualTo(Ipv4.firstHost(subnet));
  }
}
