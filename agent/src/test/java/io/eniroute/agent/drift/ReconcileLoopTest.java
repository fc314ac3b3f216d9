package io.eniroute.agent.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReconcileLoopTest {
  private final FakeRouting routing = new FakeRouting();
  private final FakeEvents events = new FakeEvents();
  private final List<ApplyReport> reports = new CopyOnWriteArrayList<>();
  private final NodeNetworkConfigSpec spec = new NodeNetworkConfigSpec();
  private final AtomicReference<Optional<NodeNetworkConfigSpec>> desired = new AtomicReference<>(Optional.of(spec));
  private ReconcileLoop loop;

  private ReconcileLoop start(ReconcileLoop.Timing settings) {
    loop = new ReconcileLoop(routing, desired::get, reports::add, events, settings).start();
    await().atMost(Duration.ofSeconds(5)).until(() -> reports.size() == 1 && events.started());
    return loop;
  }

  private static ReconcileLoop.Timing fast() {
    return new ReconcileLoop.Timing(Duration.ofMinutes(10), Duration.ofMillis(100), Duration.ofMillis(500),
        Duration.ofMillis(200));
  }

  @AfterEach
  void stop() {
    if (loop != null) {
      loop.close();
    }
  }

  @Test
  void aBurstOfRelevantEventsCausesOneReconcileAfterTheQuietWindow() throws Exception {
    start(fast());
    long t0 = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      events.emit("Deleted default via 10.0.0.1 dev eth1 table 10001 proto 228");
      Thread.sleep(20);
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> routing.reconciled.size() == 2);
    long millis = (System.nanoTime() - t0) / 1_000_000;
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> routing.reconciled.size() == 2);
    assertThat(millis).isBetween(180L, 900L);
  }

  @Test
  void anEndlessStreamOfEventsIsStillReconciledWithinTheMaxDelay() throws Exception {
    start(fast());
    long t0 = System.nanoTime();
    while (routing.reconciled.size() < 2 && System.nanoTime() - t0 < 3_000_000_000L) {
      events.emit("10001:\tfrom 10.0.0.130 lookup 10001 proto 228");
      Thread.sleep(30);
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(routing.reconciled).hasSizeGreaterThanOrEqualTo(2);
    assertThat(millis).isLessThan(1000);
  }

  @Test
  void eventsOnForeignObjectsAreIgnored() throws Exception {
    start(fast());
    events.emit("default via 172.17.0.1 dev docker0 table 5 proto static");
    events.emit("512:\tfrom 10.0.0.200 lookup 2");
    events.emit("3: docker0    inet 172.17.0.2/16 scope global docker0");
    events.emit("local 10.0.0.130 dev eth1 table local proto kernel scope host src 10.0.0.130");
    await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(1)).until(() -> routing.reconciled.size() == 1);
    events.emit("Deleted 10001:\tfrom 10.0.0.130 lookup 10001 proto 228");
    await().atMost(Duration.ofSeconds(2)).until(() -> routing.reconciled.size() == 2);
  }

  @Test
  void anUnreachableControlPlaneKeepsTheLastSpecAndNeverReverts() {
    start(fast());
    desired.set(Optional.empty());
    events.emit("10.0.0.0/24 dev eth1 proto kernel scope link src 10.0.0.130");
    await().atMost(Duration.ofSeconds(2)).until(() -> routing.reconciled.size() == 2);
    assertThat(routing.reconciled.get(1)).isSameAs(spec);
    desired.set(null); // a supplier that throws or misbehaves is treated the same way
    loop.requestReconcile();
    await().atMost(Duration.ofSeconds(2)).until(() -> routing.reconciled.size() == 3);
    assertThat(routing.reverts).hasValue(0);
  }

  @Test
  void resyncReconcilesPeriodicallyWithoutEvents() {
    start(fast().withResync(Duration.ofMillis(200)));
    await().atMost(Duration.ofSeconds(3)).until(() -> routing.reconciled.size() >= 4);
  }

  @Test
  void aReconcileThatThrowsIsRetried() {
    start(fast());
    routing.failNext = new IllegalStateException("ip: command not found");
    loop.requestReconcile();
    await().atMost(Duration.ofSeconds(3)).until(() -> routing.reconciled.size() == 2);
  }

  @Test
  void closeStopsTheLoopAndTheMonitorButLeavesRoutingInPlace() throws Exception {
    start(fast());
    loop.close();
    assertThat(events.closed).isTrue();
    int n = routing.reconciled.size();
    events.emit("Deleted 10001:\tfrom 10.0.0.130 lookup 10001 proto 228");
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> routing.reconciled.size() == n);
    assertThat(routing.reverts).hasValue(0);
  }
}
