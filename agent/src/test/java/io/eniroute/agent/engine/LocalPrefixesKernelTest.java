package io.eniroute.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.lab.Lab;
import io.eniroute.lab.LabExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * primaryRules on the real kernel with local bridges: a reply from the primary's address (or any
 * routed address) to docker0's or a CNI bridge's prefix stays on main instead of leaving by the
 * ENI, without the prefix being listed in spec.routing.mainDestinations.
 */
@ExtendWith(LabExtension.class)
class LocalPrefixesKernelTest {
  @TempDir Path stateDir;
  private Lab lab;
  private RoutingEngine engine;
  private List<List<String>> addrs;

  @BeforeEach
  void node(Lab testLab) {
    lab = testLab;
    addrs = LabNodes.node(lab, "n", 2, 1);
    lab.configureNaive("n");
    engine = RoutingEngine.create(lab.netns("n"), stateDir);
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private void bridge(String name, String cidr) {
    lab.ipBatch("n", "link add " + name + " type bridge", "addr add " + cidr + " dev " + name, "link set " + name + " up");
  }

  @Test
  void repliesFromThePrimaryToDocker0AndAPodBridgeStayOnMainWithPrimaryRules() {
    bridge("docker0", "172.17.0.1/16");
    bridge("cni0", "10.244.1.1/24");
    String primary = addrs.get(0).get(0);
    assertThat(lab.exec("n", "ip", "route", "get", "172.17.0.5", "from", primary)).contains("dev docker0");

    ApplyReport r = engine.reconcile(new NodeNetworkConfigSpec());

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
    assertThat(lab.exec("n", "ip", "route", "get", "172.17.0.5", "from", primary)).contains("dev docker0");
    assertThat(lab.exec("n", "ip", "route", "get", "10.244.1.7", "from", primary)).contains("dev cni0");
    assertThat(lab.exec("n", "ip", "route", "get", "10.244.1.7", "from", addrs.get(1).get(0))).contains("dev cni0");
    assertThat(lab.exec("n", "ip", "-4", "rule", "show", "priority", "9999"))
        .contains("to 172.17.0.0/16 lookup main", "to 10.244.1.0/24 lookup main");
    assertThat(lab.exec("n", "ip", "route", "get", "198.51.100.2", "from", addrs.get(1).get(0)))
        .as("everything else still leaves by the address's own ENI").contains("dev eth1");
  }

  @Test
  void aBridgeThatAppearsAfterTheApplyGetsItsMainRuleOnTheNextPassAndRevertRemovesIt() {
    assertThat(engine.reconcile(new NodeNetworkConfigSpec()).outcome()).isEqualTo(Outcome.APPLIED);
    String primary = addrs.get(0).get(0);
    bridge("docker0", "172.17.0.1/16");
    assertThat(lab.exec("n", "ip", "route", "get", "172.17.0.5", "from", primary))
        .as("without the rule the primary's table takes the reply to the ENI").contains("dev eth0");

    ApplyReport r = engine.reconcile(new NodeNetworkConfigSpec());

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
    assertThat(lab.exec("n", "ip", "route", "get", "172.17.0.5", "from", primary)).contains("dev docker0");
    assertThat(engine.revert().outcome()).isEqualTo(Outcome.REVERTED);
    assertThat(lab.exec("n", "ip", "-4", "rule", "show")).doesNotContain("172.17.0.0/16");
  }
}
