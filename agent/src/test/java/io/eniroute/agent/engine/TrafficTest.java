package io.eniroute.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.crds.v1alpha1.RpFilterMode;
import io.eniroute.lab.Lab;
import io.eniroute.lab.LabExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The field report, replayed: with the naive setup the second interface's addresses neither
 * answer nor originate; after one apply, every address of every interface does both.
 */
@ExtendWith(LabExtension.class)
class TrafficTest {
  private static final Duration OK = Duration.ofSeconds(3);
  private static final Duration FAIL = Duration.ofSeconds(1);

  @TempDir Path stateDir;

  @ParameterizedTest(name = "{0} interfaces x 2 addresses, rp_filter {1}")
  @CsvSource({"2, LOOSE", "2, STRICT", "3, LOOSE", "3, STRICT"})
  void everyAddressAnswersAndOriginatesAfterApply(int interfaces, RpFilterMode rp, Lab lab) {
    List<List<String>> addrs = LabNodes.node(lab, "n", interfaces, 2);
    lab.configureNaive("n");
    String second = addrs.get(1).get(1);
    assertThat(lab.pingFromClient(second, 1, FAIL)).as("naive: %s answers", second).isFalse();
    assertThat(lab.pingFromNode("n", second, 1, FAIL)).as("naive: %s originates", second).isFalse();

    NodeNetworkConfigSpec spec = new NodeNetworkConfigSpec();
    spec.getRouting().setRpFilter(rp);
    RoutingEngine engine = RoutingEngine.create(lab.netns("n"), stateDir);
    ApplyReport r = engine.reconcile(spec);
    assertThat(r.outcome()).as(r.message()).isEqualTo(ApplyReport.Outcome.APPLIED);
    assertThat(r.ownedRules()).isEqualTo(2 * interfaces);
    assertThat(r.ownedRoutes()).isEqualTo(2 * interfaces);

    int port = 7100;
    for (List<String> perIf : addrs) {
      for (String a : perIf) {
        assertThat(lab.pingFromClient(a, 1, OK)).as("client pings %s", a).isTrue();
        assertThat(lab.pingFromNode("n", a, 1, OK)).as("%s pings the client", a).isTrue();
      }
      String last = perIf.get(perIf.size() - 1);
      assertThat(lab.tcpEchoFromClient("n", last, port++, OK)).as("TCP echo via %s", last).isTrue();
    }
    String rpNow = lab.exec("n", "cat", "/proc/sys/net/ipv4/conf/eth1/rp_filter").strip();
    assertThat(rpNow).isEqualTo(String.valueOf(rp.sysctl()));
  }
}
