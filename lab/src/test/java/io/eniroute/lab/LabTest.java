package io.eniroute.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lab behaves like the VPC of the field report: the naive setup fails the same way. */
@ExtendWith(NetnsRequired.class)
class LabTest {
  private static final Duration OK = Duration.ofSeconds(3);
  private static final Duration FAIL = Duration.ofSeconds(1);

  @Test
  void naiveSetupAnswersOnlyOnThePrimaryAndTheSourceCheckDropsTheRest() {
    try (Lab lab = Lab.create()) {
      lab.addNode("n");
      String m0 = lab.macFor(0);
      String m1 = lab.macFor(1);
      lab.attachEni("n", "eth0", m0);
      lab.attachEni("n", "eth1", m1);
      lab.assignAddresses("n", m0, List.of("10.0.0.128", "10.0.0.129"));
      lab.assignAddresses("n", m1, List.of("10.0.0.130", "10.0.0.131"));
      lab.configureNaive("n");

      assertThat(lab.pingFromClient("10.0.0.128", 1, OK)).isTrue();
      assertThat(lab.pingFromClient("10.0.0.129", 1, OK)).isTrue();
      assertThat(lab.tcpEchoFromClient("n", "10.0.0.128", 7001, OK)).isTrue();
      long before = lab.sourceCheckDrops(m0);
      // eth1's addresses: the request arrives on eth1, the reply leaves by eth0 and is dropped.
      assertThat(lab.pingFromClient("10.0.0.131", 1, FAIL)).isFalse();
      assertThat(lab.sourceCheckDrops(m0)).isGreaterThan(before);
      assertThat(lab.pingFromNode("n", "10.0.0.130", 1, FAIL)).isFalse();
      assertThat(lab.pingFromNode("n", "10.0.0.128", 1, OK)).isTrue();
    }
  }

  @Test
  void theFabricDeliversOnlyTheAddressesAnEniOwns() {
    try (Lab lab = Lab.create()) {
      lab.addNode("n");
      String m0 = lab.macFor(0);
      lab.attachEni("n", "eth0", m0);
      lab.assignAddress("n", m0, "10.0.0.10");
      lab.configureNaive("n");
      // An address configured on the node but not assigned in "EC2" is unreachable.
      lab.ipBatch("n", "addr add 10.0.0.11/24 dev eth0");
      assertThat(lab.pingFromClient("10.0.0.10", 1, OK)).isTrue();
      assertThat(lab.pingFromNode("n", "10.0.0.11", 1, FAIL)).isFalse();
      assertThat(lab.sourceCheckDrops(m0)).isPositive();
    }
  }

  @Test
  void closeRemovesEveryNamespaceAndIsIdempotent() {
    Lab lab = Lab.create();
    String node = lab.addNode("n");
    lab.attachEni("n", "eth0", lab.macFor(0));
    lab.close();
    lab.close();
    String all = Cmd.run("ip", "netns", "list").out();
    assertThat(all).doesNotContain(node, lab.vpcNamespace(), lab.clientNamespace());
    assertThatThrownBy(() -> lab.addNode("m")).isInstanceOf(LabException.class);
  }

  @Test
  void detachedEniDisappearsFromTheNode() {
    try (Lab lab = Lab.create()) {
      lab.addNode("n");
      String m1 = lab.macFor(1);
      lab.attachEni("n", "eth0", lab.macFor(0));
      lab.attachEni("n", "eth1", m1);
      lab.detachEni(m1);
      assertThat(lab.exec("n", "ip", "-o", "link")).contains("eth0").doesNotContain("eth1");
      assertThat(lab.enis("n")).hasSize(1);
    }
  }
}
