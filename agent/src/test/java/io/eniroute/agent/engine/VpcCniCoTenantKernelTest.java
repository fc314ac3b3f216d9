package io.eniroute.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.safety.SafeNodeRouting;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.lab.Lab;
import io.eniroute.lab.LabExtension;
import io.eniroute.lab.VpcCniActor.Pod;
import io.eniroute.lab.VpcCniActor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on an EKS-like node where the AWS VPC CNI got there first ({@link VpcCniActor}): a pod
 * on the primary ENI's warm pool, ipamd's own ENI eth1 (device index 1) with a pod of its own, and
 * eniroute's ENI eth2 (device index 2) attached after boot, down and without an address (no DHCP).
 * The config is what the operator writes with spec.aws: addr/len entries for eniroute's interfaces,
 * onlyListedInterfaces, and (as IMDS adds them) numbering for eth1 without addresses.
 */
@ExtendWith(LabExtension.class)
class VpcCniCoTenantKernelTest {
  private static final Duration OK = Duration.ofSeconds(3);

  @TempDir Path stateDir;
  private Lab lab;
  private VpcCniActor cni;
  private RoutingEngine engine;
  private Lab.Eni primary;
  private Lab.Eni cniEni;
  private Lab.Eni ours;
  private Pod warmPod;
  private Pod eniPod;

  @BeforeEach
  void eksNode(Lab testLab) {
    lab = testLab;
    lab.addNode("n");
    primary = lab.attachEni("n", "eth0", lab.macFor(0));
    lab.assignAddress("n", primary.mac(), "10.0.0.10");
    lab.configureNaive("n");
    cni = new VpcCniActor(lab, "n", "eth0");
    warmPod = cni.addPod("pa", "10.0.0.50", 0);
    cniEni = cni.attachEni("eth1", lab.macFor(1), 1, "10.0.0.60");
    eniPod = cni.addPod("pb", "10.0.0.61", 1);
    ours = lab.attachEni("n", "eth2", lab.macFor(2));
    lab.ipBatch("n", "link set eth2 down");
    lab.assignAddresses("n", ours.mac(), List.of("10.0.0.20", "10.0.0.21"));
    lab.assignAddress("n", primary.mac(), "10.0.0.11");
    engine = RoutingEngine.create(lab.netns("n"), stateDir);
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    if (cni != null) {
      cni.close();
    }
  }

  /** What the operator hands this node: eniroute's addresses as addr/len, the CNI's ENI by numbering only. */
  private NodeNetworkConfigSpec operatorSpec(String... extraOnPrimary) {
    NodeNetworkConfigSpec s = new NodeNetworkConfigSpec();
    s.setOnlyListedInterfaces(true);
    List<String> onPrimary = new ArrayList<>(List.of("10.0.0.10/24", "10.0.0.11/24"));
    onPrimary.addAll(List.of(extraOnPrimary));
    s.setAddresses(List.of(entry(primary.mac(), 0, onPrimary), entry(cniEni.mac(), 1, List.of()),
        entry(ours.mac(), 2, List.of("10.0.0.20/24", "10.0.0.21/24"))));
    return s;
  }

  private static InterfaceAddresses entry(String mac, int device, List<String> addresses) {
    InterfaceAddresses a = new InterfaceAddresses(mac, addresses);
    a.setDeviceIndex(device);
    return a;
  }

  private void podsAnswer(String when) {
    for (Pod p : List.of(warmPod, eniPod)) {
      assertThat(cni.askFromClient(p.ip())).as("%s: from outside, pod %s at %s answers itself", when, p.name(), p.ip())
          .isEqualTo(p.name());
      assertThat(cni.askFromNode(p.ip())).as("%s: from the node, pod %s answers itself", when, p.name())
          .isEqualTo(p.name());
    }
  }

  @Test
  void vpcCniPodsAnswerBeforeAfterApplyAfterDriftHealingAndAfterRevertAndItsRulesAndRoutesNeverChange() {
    podsAnswer("before eniroute");
    List<String> cniRouting = cni.hostRouting();
    assertThat(cniRouting).as("the co-tenant's footprint").hasSizeGreaterThanOrEqualTo(5);

    ApplyReport r = engine.reconcile(operatorSpec());

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
    podsAnswer("after apply");
    for (String a : List.of("10.0.0.10", "10.0.0.11", "10.0.0.20", "10.0.0.21")) {
      assertThat(lab.pingFromClient(a, 1, OK)).as("eniroute's address %s answers from outside", a).isTrue();
    }
    assertThat(cni.hostRouting()).as("no CNI rule or route changed").isEqualTo(cniRouting);

    String ourRule = lab.exec("n", "ip", "-4", "rule", "show", "from", "10.0.0.20").strip();
    lab.ipBatch("n", "rule del from 10.0.0.20/32 priority 10002");
    assertThat(engine.reconcile(operatorSpec()).outcome()).as("drift is healed").isEqualTo(Outcome.APPLIED);
    assertThat(lab.exec("n", "ip", "-4", "rule", "show", "from", "10.0.0.20").strip()).isEqualTo(ourRule);
    podsAnswer("after drift healing");
    assertThat(cni.hostRouting()).isEqualTo(cniRouting);

    ApplyReport rev = engine.revert();

    assertThat(rev.outcome()).as(rev.message()).isEqualTo(Outcome.REVERTED);
    podsAnswer("after revert");
    assertThat(cni.hostRouting()).isEqualTo(cniRouting);
  }

  @Test
  void anAddressTheNodeRoutesToAPodIsReportedAsAConflictAndNotAddedWhileTheRestIsApplied() {
    ApplyReport r = engine.reconcile(operatorSpec("10.0.0.50/24"));

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
    InterfaceStatus eth0 = status(r, "eth0");
    assertThat(eth0.getConflicts()).singleElement().asString().startsWith("10.0.0.50: ").contains(warmPod.hostVeth());
    assertThat(lab.exec("n", "ip", "-4", "-o", "addr", "show")).doesNotContain("10.0.0.50").contains("10.0.0.11/24");
    assertThat(lab.exec("n", "ip", "-4", "rule", "show")).doesNotContain("from 10.0.0.50 lookup");
    assertThat(cni.askFromClient(warmPod.ip())).as("the pod keeps its traffic").isEqualTo(warmPod.name());
    assertThat(lab.pingFromClient("10.0.0.11", 1, OK)).isTrue();
  }

  @Test
  void anAddressAnotherOwnersToRuleSendsToMainIsAConflictEvenWithoutA32Route() {
    lab.ipBatch("n", "rule add priority 600 to 10.0.0.77/32 lookup main");

    ApplyReport r = engine.reconcile(operatorSpec("10.0.0.77/24"));

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
    assertThat(status(r, "eth0").getConflicts()).singleElement().asString()
        .startsWith("10.0.0.77: ").contains("priority 600");
    assertThat(lab.exec("n", "ip", "-4", "-o", "addr", "show")).doesNotContain("10.0.0.77").contains("10.0.0.11/24");
  }

  @Test
  void theCnisEniIsNeverManagedWhenTheConfigListsOnlyEniroutesInterfaces() {
    String sysctlsBefore = lab.exec("n", "sh", "-c",
        "cat /proc/sys/net/ipv4/conf/eth1/rp_filter /proc/sys/net/ipv4/conf/eth1/arp_ignore /proc/sys/net/ipv4/conf/eth1/arp_announce");

    ApplyReport r = engine.reconcile(operatorSpec());

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
    assertThat(status(r, "eth1").getManaged()).isFalse();
    assertThat(status(r, "eth1").getNote()).contains("spec.onlyListedInterfaces");
    assertThat(lab.exec("n", "ip", "-4", "route", "show", "table", "all", "proto", "228")).doesNotContain("dev eth1");
    assertThat(lab.exec("n", "ip", "-4", "rule", "show")).doesNotContain("10.0.0.60");
    assertThat(lab.exec("n", "sh", "-c",
        "cat /proc/sys/net/ipv4/conf/eth1/rp_filter /proc/sys/net/ipv4/conf/eth1/arp_ignore /proc/sys/net/ipv4/conf/eth1/arp_announce"))
        .as("no sysctl of the CNI's ENI changed").isEqualTo(sysctlsBefore);
  }

  @Test
  void aDownEniWithoutAddressIsBroughtUpAddressedAndRoutedInOnePassAndRevertTakesItDownAgain() {
    assertThat(lab.exec("n", "ip", "-o", "link", "show", "eth2")).contains("state DOWN");

    ApplyReport r = engine.reconcile(operatorSpec());

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
    assertThat(lab.exec("n", "ip", "-o", "link", "show", "eth2")).doesNotContain("state DOWN");
    assertThat(lab.exec("n", "ip", "-4", "-o", "addr", "show", "dev", "eth2")).contains("10.0.0.20/24", "10.0.0.21/24");
    assertThat(status(r, "eth2").getTable()).isEqualTo(10002L);
    assertThat(lab.pingFromClient("10.0.0.20", 1, OK)).isTrue();
    assertThat(lab.pingFromClient("10.0.0.21", 1, OK)).isTrue();
    assertThat(lab.sourceCheckDrops(ours.mac())).as("replies leave by eth2").isZero();
    assertThat(engine.reconcile(operatorSpec()).outcome()).as("one pass did it all").isEqualTo(Outcome.NO_CHANGE);

    ApplyReport rev = engine.revert();

    assertThat(rev.outcome()).as(rev.message()).isEqualTo(Outcome.REVERTED);
    assertThat(lab.exec("n", "ip", "-o", "link", "show", "eth2")).contains("state DOWN");
    assertThat(lab.exec("n", "ip", "-4", "-o", "addr", "show", "dev", "eth2")).doesNotContain("10.0.0.2");
    assertThat(lab.exec("n", "ip", "-o", "link", "show", "eth1")).as("only what eniroute brought up goes down")
        .doesNotContain("state DOWN");
  }

  @Test
  void podsAnswerDuringASafeApplyAndDuringTheRollbackOfABadChange() throws Exception {
    SafeNodeRouting safe = SafeNodeRouting.forTarget(lab.netns("n"), stateDir.resolve("safe"), Optional.empty());
    List<String> cniRouting = cni.hostRouting();

    PodTraffic.Seen duringApply;
    ApplyReport good;
    try (PodTraffic traffic = new PodTraffic(cni, List.of(warmPod, eniPod))) {
      good = safe.reconcile(operatorSpec());
      duringApply = traffic.stop();
    }
    assertThat(good.outcome()).as(good.message()).isEqualTo(Outcome.APPLIED);

    NodeNetworkConfigSpec bad = operatorSpec();
    bad.getRouting().setGateway("10.0.0.254");
    PodTraffic.Seen duringRollback;
    ApplyReport rolledBack;
    try (PodTraffic traffic = new PodTraffic(cni, List.of(warmPod, eniPod))) {
      rolledBack = safe.reconcile(bad);
      duringRollback = traffic.stop();
    }

    System.out.printf("pods during apply: %d/%d answered; during rollback: %d/%d answered%n",
        duringApply.answered(), duringApply.tried(), duringRollback.answered(), duringRollback.tried());
    assertThat(rolledBack.outcome()).as(rolledBack.message()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(duringApply.misses()).as("pods during the apply").isEmpty();
    assertThat(duringRollback.misses()).as("pods during the bad change and its rollback").isEmpty();
    assertThat(duringApply.tried()).isPositive();
    assertThat(duringRollback.tried()).isPositive();
    podsAnswer("after the rollback");
    assertThat(cni.hostRouting()).isEqualTo(cniRouting);
  }

  @Test
  void addressesEc2NoLongerAssignsAreDroppedFromTheHostWhileOnesEnirouteDidNotAddStay() {
    lab.ipBatch("n", "addr add 10.0.0.30/24 dev eth0"); // configured by someone else, never listed
    assertThat(engine.reconcile(operatorSpec()).outcome()).isEqualTo(Outcome.APPLIED);
    NodeNetworkConfigSpec trimmed = operatorSpec();
    trimmed.getAddresses().get(0).setAddresses(List.of("10.0.0.10/24"));
    trimmed.getAddresses().get(2).setAddresses(List.of("10.0.0.20/24"));

    ApplyReport r = engine.reconcile(trimmed);

    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.APPLIED);
    String addrs = lab.exec("n", "ip", "-4", "-o", "addr", "show");
    assertThat(addrs).doesNotContain("10.0.0.11/", "10.0.0.21/").contains("10.0.0.20/24", "10.0.0.30/24");
    assertThat(lab.exec("n", "ip", "-4", "rule", "show")).doesNotContain("from 10.0.0.11 ", "from 10.0.0.21 ");
    assertThat(lab.pingFromClient("10.0.0.20", 1, OK)).isTrue();
    podsAnswer("after dropping released addresses");
    assertThat(engine.reconcile(trimmed).outcome()).isEqualTo(Outcome.NO_CHANGE);

    assertThat(engine.revert().outcome()).isEqualTo(Outcome.REVERTED);
    assertThat(lab.exec("n", "ip", "-4", "-o", "addr", "show")).doesNotContain("10.0.0.20/").contains("10.0.0.30/24");
  }

  private static InterfaceStatus status(ApplyReport r, String name) {
    return r.interfaces().stream().filter(i -> name.equals(i.getName())).findFirst().orElseThrow();
  }
}
