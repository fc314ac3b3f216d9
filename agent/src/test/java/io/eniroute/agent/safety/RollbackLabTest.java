package io.eniroute.agent.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.agent.LabPerClass;
import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad changes on the real kernel: applied by the engine, caught by the probes (by traffic to the
 * gateway through each address's own table), rolled back; every address still answers after.
 */
class RollbackLabTest extends LabPerClass {
  @TempDir Path stateDir;

  @Test
  void aWrongGatewayIsRolledBackAndEveryAddressStillAnswers() {
    SeedNode n = new SeedNode(lab, "gw");
    SafeNodeRouting safe = SafeNodeRouting.forTarget(n.netns, stateDir, Optional.empty());
    ApplyReport good = safe.reconcile(SeedNode.goodSpec());
    assertThat(good.outcome()).as(good.message()).isEqualTo(Outcome.APPLIED);
    assertThat(n.silentAddresses()).isEmpty();
    String applied = n.dump();

    NodeNetworkConfigSpec bad = SeedNode.goodSpec();
    bad.getRouting().setGateway("10.0.0.254");
    ApplyReport r = safe.reconcile(bad);

    System.out.printf("rollback (wrong gateway): %d ms, %d kernel writes: %s%n", r.durationMillis(), r.kernelWrites(),
        r.message());
    assertThat(r.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.reason()).isEqualTo("ProbeFailed");
    assertThat(r.message()).containsPattern("gateway 10\\.0\\.0\\.254 from 10\\.0\\.0\\.1(28|29|30|31) via table \\d+ \\(eth[01]\\): no reply in 2s");
    // ICMP through each address's table and ARP from each address: all passed before; with the
    // gateway moved to an address nobody has, all fail after.
    assertThat(r.probes()).hasSize(8).allSatisfy(p -> {
      assertThat(p.getPassedBefore()).as(p.getName()).isTrue();
      assertThat(p.getPassed()).as(p.getName()).isFalse();
    });
    assertThat(n.dump()).isEqualTo(applied);
    assertThat(n.silentAddresses()).isEmpty();
    // Asked again (resync), the rejected config is not retried: nothing written, verdict repeated.
    ApplyReport again = safe.reconcile(bad);
    assertThat(again.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(again.kernelWrites()).isZero();
  }

  @Test
  void aRuleThatBlackHolesSourceAddressesIsRolledBack() {
    SeedNode n = new SeedNode(lab, "bh");
    SafeNodeRouting safe = SafeNodeRouting.forTarget(n.netns, stateDir, Optional.empty());
    // "Replies to the subnet keep using main" for the node's own subnet: main has eth0's subnet
    // route only (eth1's duplicate is removed), so eth1's addresses now leave by eth0 toward the
    // subnet and the VPC's source check drops them.
    NodeNetworkConfigSpec bad = SeedNode.goodSpec();
    bad.getRouting().setMainDestinations(List.of("10.0.0.0/24"));
    ApplyReport first = safe.reconcile(SeedNode.goodSpec());
    assertThat(first.outcome()).as(first.message()).isEqualTo(Outcome.APPLIED);
    String applied = n.dump();

    ApplyReport r = safe.reconcile(bad);

    System.out.printf("rollback (black-holed sources): %d ms, %d kernel writes: %s%n", r.durationMillis(),
        r.kernelWrites(), r.message());
    assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(r.message()).containsPattern("gateway 10\\.0\\.0\\.1 from 10\\.0\\.0\\.13[01] via table \\d+ \\(eth1\\)");
    // The rule black-holes the route, not the link: ARP from those addresses still passes, ICMP does not.
    assertThat(r.probes()).filteredOn(p -> p.getName().startsWith("arp:")).allSatisfy(p ->
        assertThat(p.getPassed()).as(p.getName()).isTrue());
    assertThat(r.probes()).filteredOn(p -> p.getName().startsWith("gateway:eth1:")).allSatisfy(p ->
        assertThat(p.getPassed()).as(p.getName()).isFalse());
    assertThat(n.dump()).isEqualTo(applied);
    assertThat(n.silentAddresses()).isEmpty();
  }
}
