package io.eniroute.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.InterfaceMatcher;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.crds.v1alpha1.RpFilterMode;
import io.eniroute.lab.KernelDump;
import io.eniroute.lab.Lab;
import io.eniroute.lab.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The engine on the real kernel: idempotence, foreign objects, revert, churn, bad configs, failures. */
@ExtendWith(LabExtension.class)
class EngineKernelTest {
  private static final Duration OK = Duration.ofSeconds(3);

  @TempDir Path stateDir;
  private Lab lab;
  private RoutingEngine engine;
  private List<List<String>> addrs;

  @BeforeEach
  void node(Lab testLab) {
    lab = testLab;
    addrs = LabNodes.node(lab, "n", 2, 2);
    lab.configureNaive("n");
    engine = RoutingEngine.create(lab.netns("n"), stateDir);
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private static NodeNetworkConfigSpec spec(Consumer<NodeNetworkConfigSpec> edit) {
    NodeNetworkConfigSpec s = new NodeNetworkConfigSpec();
    edit.accept(s);
    return s;
  }

  @Test
  void secondApplyWritesNothing() {
    ApplyReport first = engine.reconcile(new NodeNetworkConfigSpec());
    assertThat(first.outcome()).as(first.message()).isEqualTo(Outcome.APPLIED);
    assertThat(first.kernelWrites()).isPositive();
    List<String> dump = KernelDump.of(lab.netns("n")).lines();

    ApplyReport second = engine.reconcile(new NodeNetworkConfigSpec());
    assertThat(second.outcome()).isEqualTo(Outcome.NO_CHANGE);
    assertThat(second.kernelWrites()).isZero();
    assertThat(KernelDump.of(lab.netns("n")).lines()).isEqualTo(dump);
    assertThat(second.interfaces()).filteredOn(i -> Boolean.TRUE.equals(i.getManaged()))
        .extracting(i -> i.getName() + " " + i.getTable() + " " + i.getPriority() + " " + i.getGateway() + " " + i.getSubnet())
        .containsExactly("eth0 10000 10000 10.0.0.1 10.0.0.0/24", "eth1 10001 10001 10.0.0.1 10.0.0.0/24");
  }

  @Test
  void foreignRulesAndRoutesSurviveApplyAndRevertAndDockerRepliesStayOnMain() {
    // Mimic the VPC CNI (rules at 512/1024 to tables 2..) and Docker (172.17.0.0/16 on a bridge).
    lab.ipBatch("n",
        "rule add priority 512 from 10.0.0.99/32 lookup 2",
        "rule add priority 1024 to 10.0.0.99/32 lookup main",
        "route add 10.0.0.0/24 dev eth1 table 2",
        "route add default via 10.0.0.1 dev eth1 table 2",
        "link add docker0 type bridge",
        "addr add 172.17.0.1/16 dev docker0",
        "link set docker0 up");
    List<String> before = KernelDump.of(lab.netns("n")).lines();
    List<String> foreign = before.stream()
        .filter(l -> l.contains("\"table\":\"2\"") || l.contains("\"priority\":512") || l.contains("\"priority\":1024")
            || l.contains("172.17.")).toList();
    assertThat(foreign).hasSizeGreaterThanOrEqualTo(5);

    ApplyReport r = engine.reconcile(spec(s -> s.getRouting().setMainDestinations(List.of("172.17.0.0/16"))));
    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
    assertThat(KernelDump.of(lab.netns("n")).lines()).containsAll(foreign);
    assertThat(r.interfaces()).filteredOn(i -> i.getName().equals("docker0")).singleElement()
        .satisfies(i -> assertThat(i.getManaged()).isFalse());
    // A reply from eth1's address to a container goes to docker0 (main), not out of eth1.
    String route = lab.exec("n", "ip", "route", "get", "172.17.0.5", "from", addrs.get(1).get(0));
    assertThat(route).contains("dev docker0");

    assertThat(engine.revert().outcome()).isEqualTo(Outcome.REVERTED);
    assertThat(KernelDump.of(lab.netns("n")).lines()).isEqualTo(before);
  }

  @Test
  void revertRestoresTheExactPriorStateIncludingMainRoutesAddressesAndSysctls() {
    String extraMac = lab.enis("n").get(1).mac();
    lab.assignAddress("n", extraMac, "10.0.0.25");
    List<String> before = KernelDump.of(lab.netns("n")).lines();
    NodeNetworkConfigSpec s = spec(x -> {
      x.getRouting().setRpFilter(RpFilterMode.STRICT);
      x.setAddresses(List.of(new InterfaceAddresses(extraMac, List.of("10.0.0.25"))));
    });
    ApplyReport r = engine.reconcile(s);
    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
    assertThat(lab.exec("n", "ip", "-4", "route", "show", "table", "main")).doesNotContain("dev eth1");
    assertThat(lab.pingFromClient("10.0.0.25", 1, OK)).as("the address the spec added answers").isTrue();
    assertThat(Files.exists(engine.store().file())).isTrue();

    ApplyReport rev = engine.revert();
    assertThat(rev.outcome()).as(rev.message()).isEqualTo(Outcome.REVERTED);
    assertThat(rev.ownedRules()).isZero();
    assertThat(KernelDump.of(lab.netns("n")).lines()).isEqualTo(before);
    assertThat(Files.exists(engine.store().file())).isFalse();
    assertThat(engine.revert().kernelWrites()).as("a second revert has nothing to do").isZero();
  }

  @Test
  void interfacesAppearingAndDisappearingBetweenRuns() {
    assertThat(engine.reconcile(new NodeNetworkConfigSpec()).outcome()).isEqualTo(Outcome.APPLIED);
    String mac2 = lab.macFor(2);
    lab.attachEni("n", "eth2", mac2);
    lab.assignAddress("n", mac2, "10.0.0.30");
    lab.ipBatch("n", "addr add 10.0.0.30/24 dev eth2");

    ApplyReport grown = engine.reconcile(new NodeNetworkConfigSpec());
    assertThat(grown.outcome()).as(grown.message()).isEqualTo(Outcome.APPLIED);
    assertThat(grown.ownedRules()).isEqualTo(5);
    assertThat(lab.pingFromClient("10.0.0.30", 1, OK)).isTrue();

    lab.ipBatch("n", "link set eth2 down");
    ApplyReport down = engine.reconcile(new NodeNetworkConfigSpec());
    assertThat(down.outcome()).as(down.message()).isEqualTo(Outcome.APPLIED);
    assertThat(down.interfaces()).filteredOn(i -> i.getName().equals("eth2")).singleElement()
        .satisfies(i -> assertThat(i.getNote()).contains("link is down"));
    lab.ipBatch("n", "link set eth2 up");
    assertThat(engine.reconcile(new NodeNetworkConfigSpec()).outcome()).isEqualTo(Outcome.APPLIED);

    lab.detachEni(lab.enis("n").get(1).mac());
    ApplyReport shrunk = engine.reconcile(new NodeNetworkConfigSpec());
    assertThat(shrunk.outcome()).as(shrunk.message()).isEqualTo(Outcome.APPLIED);
    assertThat(shrunk.ownedRules()).as("eth1's rules are gone, eth0's and eth2's stay").isEqualTo(3);
    assertThat(lab.exec("n", "ip", "rule")).doesNotContain(addrs.get(1).get(0) + " ");
    assertThat(lab.pingFromClient("10.0.0.30", 1, OK)).isTrue();
    assertThat(lab.pingFromClient(addrs.get(0).get(1), 1, OK)).isTrue();
    assertThat(engine.reconcile(new NodeNetworkConfigSpec()).kernelWrites()).isZero();
  }

  @Test
  void badConfigsFailNamingTheFieldAndApplyNothing() {
    List<String> before = KernelDump.of(lab.netns("n")).lines();
    ApplyReport unknownIf = engine.reconcile(spec(s -> s.getInterfaces().setInclude(
        List.of(new InterfaceMatcher("eth9", null, null)))));
    assertThat(unknownIf.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(unknownIf.reason()).isEqualTo("InvalidConfig");
    assertThat(unknownIf.message()).contains("spec.interfaces.include[0].name", "eth9");

    ApplyReport badCidr = engine.reconcile(spec(s -> s.getRouting().setMainDestinations(List.of("172.17.0.0/33"))));
    assertThat(badCidr.reason()).isEqualTo("InvalidConfig");
    assertThat(badCidr.message()).contains("spec.routing.mainDestinations[0]");

    ApplyReport unknownMac = engine.reconcile(spec(s -> s.setAddresses(
        List.of(new InterfaceAddresses("0a:ff:ff:ff:ff:ff", List.of("10.0.0.77"))))));
    assertThat(unknownMac.reason()).isEqualTo("InvalidConfig");
    assertThat(unknownMac.message()).contains("spec.addresses[0].mac");

    assertThat(List.of(unknownIf, badCidr, unknownMac)).allSatisfy(r -> assertThat(r.kernelWrites()).isZero());
    assertThat(KernelDump.of(lab.netns("n")).lines()).isEqualTo(before);
  }

  @Test
  void foreignRuleAtOurPriorityOrRouteInOurTableIsAConflictAndNothingIsApplied() {
    lab.ipBatch("n", "rule add priority 10001 from 10.0.0.99/32 lookup 5");
    List<String> before = KernelDump.of(lab.netns("n")).lines();
    ApplyReport r = engine.reconcile(new NodeNetworkConfigSpec());
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).isEqualTo("ForeignConflict");
    assertThat(r.message()).contains("priority 10001", "10.0.0.99/32", "eth1");
    assertThat(KernelDump.of(lab.netns("n")).lines()).isEqualTo(before);

    lab.ipBatch("n", "rule del priority 10001", "route add 192.0.2.0/24 dev eth0 table 10000");
    List<String> before2 = KernelDump.of(lab.netns("n")).lines();
    ApplyReport r2 = engine.reconcile(new NodeNetworkConfigSpec());
    assertThat(r2.reason()).isEqualTo("ForeignConflict");
    assertThat(r2.message()).contains("table 10000", "192.0.2.0/24");
    assertThat(KernelDump.of(lab.netns("n")).lines()).isEqualTo(before2);
  }

  @Test
  void aBatchThatFailsMidwayIsUndoneAndReported() {
    List<String> before = KernelDump.of(lab.netns("n")).lines();
    // A gateway the kernel cannot reach: the default route line fails after earlier lines ran.
    ApplyReport r = engine.reconcile(spec(s -> s.getRouting().setGateway("192.0.2.1")));
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).isEqualTo("KernelError");
    assertThat(r.message()).contains("route add default via 192.0.2.1");
    assertThat(r.kernelWrites()).as("writes before the failure plus their undo").isPositive();
    assertThat(KernelDump.of(lab.netns("n")).lines()).isEqualTo(before);
    assertThat(Files.exists(engine.store().file())).as("no ownership recorded for a change that did not happen").isFalse();
  }
}
