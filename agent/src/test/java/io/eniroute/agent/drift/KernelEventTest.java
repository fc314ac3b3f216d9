package io.eniroute.agent.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class KernelEventTest {

  @Test
  void parsesTheLinesOfIpMonitor() {
    KernelEvent link = KernelEvent.parse("3: d0@d1: <BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state UP \\    link/ether ..");
    assertThat(link.kind()).isEqualTo(KernelEvent.Kind.LINK);
    assertThat(link.device()).isEqualTo("d0");

    KernelEvent addr = KernelEvent.parse("Deleted 3: eth1    inet 10.0.0.131/24 scope global secondary eth1\\  valid_lft forever");
    assertThat(addr.kind()).isEqualTo(KernelEvent.Kind.ADDRESS);
    assertThat(addr.deleted()).isTrue();
    assertThat(addr.device()).isEqualTo("eth1");

    KernelEvent rule = KernelEvent.parse("Deleted 10001:\tfrom 10.0.0.130 lookup 10001 proto 228");
    assertThat(rule.kind()).isEqualTo(KernelEvent.Kind.RULE);
    assertThat(rule.priority()).isEqualTo(10001L);
    assertThat(rule.table()).isEqualTo("10001");
    assertThat(rule.proto()).isEqualTo("228");

    KernelEvent route = KernelEvent.parse("10.0.0.0/24 dev eth1 proto kernel scope link src 10.0.0.130 ");
    assertThat(route.kind()).isEqualTo(KernelEvent.Kind.ROUTE);
    assertThat(route.table()).isEqualTo("main");
    assertThat(route.prefix()).isEqualTo("10.0.0.0/24");
    assertThat(route.device()).isEqualTo("eth1");

    KernelEvent local = KernelEvent.parse("local 10.0.0.130 dev eth1 table local proto kernel scope host src 10.0.0.130");
    assertThat(local.table()).isEqualTo("local");
    assertThat(local.prefix()).isEqualTo("10.0.0.130");
  }

  @Test
  void aRulePriorityAboveTheSignedIntRangeParses() {
    KernelEvent rule = KernelEvent.parse("4294967295:\tfrom all lookup 7");
    assertThat(rule.kind()).isEqualTo(KernelEvent.Kind.RULE);
    assertThat(rule.priority()).isEqualTo(4294967295L);
  }

  @Test
  void theMonitorSurvivesALineItCannotHandleAndAHandlerThatThrows() {
    List<KernelEvent> got = new CopyOnWriteArrayList<>();
    AtomicBoolean thrown = new AtomicBoolean();
    try (KernelMonitor monitor = new KernelMonitor(List.of("sh", "-c",
        "printf '4294967295:\\tfrom all lookup 7\\n10001:\\tfrom 10.0.0.130 lookup 10001\\n'; exec sleep 60"))) {
      monitor.start(e -> {
        if (thrown.compareAndSet(false, true)) {
          throw new IllegalStateException("handler bug");
        }
        got.add(e);
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> got.size() >= 1);
      assertThat(got.get(0).priority()).isEqualTo(10001L);
      assertThat(monitor.alive()).isTrue();
    }
  }

  @Test
  void scopeCoversOwnedAndDependedObjectsOnly() {
    DriftScope scope = new DriftScope(new NodeNetworkConfigSpec(), FakeRouting.report(
        io.eniroute.agent.routing.ApplyReport.Outcome.APPLIED));
    // owned: table, rule priority, proto 228, main route of a managed subnet, managed link/address
    assertThat(scope.relevant(KernelEvent.parse("Deleted default via 10.0.0.1 dev eth1 table 10001"))).isTrue();
    assertThat(scope.relevant(KernelEvent.parse("10001:\tfrom 10.0.0.131 lookup 10001"))).isTrue();
    assertThat(scope.relevant(KernelEvent.parse("10.0.0.0/24 dev eth1 proto kernel scope link src 10.0.0.130"))).isTrue();
    assertThat(scope.relevant(KernelEvent.parse("3: eth1    inet 10.0.0.140/24 scope global secondary eth1"))).isTrue();
    // a new interface (hot-plugged ENI) and a first address on one
    assertThat(scope.relevant(KernelEvent.parse("7: eth2: <BROADCAST,MULTICAST,UP> mtu 9001"))).isTrue();
    assertThat(scope.relevant(KernelEvent.parse("7: eth2    inet 10.0.0.150/24 scope global eth2"))).isTrue();
    // foreign: VPC CNI rules/tables, docker's addresses and routes, the local table
    assertThat(scope.relevant(KernelEvent.parse("512:\tfrom 10.0.0.200 lookup 2"))).isFalse();
    assertThat(scope.relevant(KernelEvent.parse("default via 10.0.0.1 dev eth1 table 2"))).isFalse();
    assertThat(scope.relevant(KernelEvent.parse("3: docker0    inet 172.17.0.2/16 scope global docker0"))).isFalse();
    assertThat(scope.relevant(KernelEvent.parse("4: docker0: <BROADCAST,MULTICAST,UP> mtu 1500"))).isFalse();
    assertThat(scope.relevant(KernelEvent.parse("local 10.0.0.130 dev eth1 table local proto kernel"))).isFalse();
    assertThat(scope.relevant(KernelEvent.parse("172.17.0.0/16 dev docker0 proto kernel scope link"))).isFalse();
  }
}
