package io.eniroute.agent.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BindAddressTest {
  @Test
  void withoutFlagOrHostIpTheEndpointsListenOnLoopbackOnly() {
    assertThat(BindAddress.resolve(null, Map.of())).isEqualTo("127.0.0.1");
    assertThat(BindAddress.resolve(" ", Map.of("HOST_IP", ""))).isEqualTo("127.0.0.1");
  }

  @Test
  void theDownwardApiHostIpIsTheDefaultInACluster() {
    assertThat(BindAddress.resolve(null, Map.of("HOST_IP", "10.0.3.17"))).isEqualTo("10.0.3.17");
  }

  @Test
  void anExplicitBindAddressWinsOverHostIp() {
    assertThat(BindAddress.resolve("127.0.0.1", Map.of("HOST_IP", "10.0.3.17"))).isEqualTo("127.0.0.1");
  }
}
