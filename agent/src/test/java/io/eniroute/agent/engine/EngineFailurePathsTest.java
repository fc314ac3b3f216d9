package io.eniroute.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.agent.kernel.KernelState;
import io.eniroute.agent.kernel.Link;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.InterfaceMatcher;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The engine's error paths on the simulated kernel: a bad glob, a refused command, a failed undo. */
class EngineFailurePathsTest {
  @TempDir Path dir;

  /** eth0 10.0.0.10 (primary), eth1 10.0.0.20, one subnet, default route via eth0. */
  static FakeKernel twoInterfaces() {
    FakeKernel k = new FakeKernel();
    k.links.add(new Link(1, "lo", "00:00:00:00:00:00", null, null, true, true));
    k.links.add(new Link(2, "eth0", "0a:00:00:00:00:00", null, null, false, true));
    k.links.add(new Link(3, "eth1", "0a:00:00:00:00:01", null, null, false, true));
    k.exec("address add 10.0.0.10/24 dev eth0");
    k.exec("address add 10.0.0.20/24 dev eth1");
    k.exec("route add default via 10.0.0.1 dev eth0 table 254 proto 3");
    for (String dev : List.of("lo", "eth0", "eth1")) {
      k.sysctls.put(KernelState.sysctlKey(dev, "rp_filter"), "1");
      k.sysctls.put(KernelState.sysctlKey(dev, "arp_ignore"), "0");
      k.sysctls.put(KernelState.sysctlKey(dev, "arp_announce"), "0");
    }
    k.writes = 0;
    return k;
  }

  /** eth1 must also carry 10.0.0.21 (an EC2 secondary address the agent adds). */
  static NodeNetworkConfigSpec withSecondary() {
    NodeNetworkConfigSpec s = new NodeNetworkConfigSpec();
    InterfaceAddresses a = new InterfaceAddresses();
    a.setMac("0a:00:00:00:00:01");
    a.setDeviceIndex(1);
    a.setAddresses(List.of("10.0.0.21"));
    s.setAddresses(List.of(a));
    return s;
  }

  @ParameterizedTest
  @ValueSource(strings = {"eth[", "eth[]", "eth[3-1]"})
  void anInvalidGlobIsAnInvalidConfigNamingTheFieldAndChangesNothing(String glob) {
    FakeKernel k = twoInterfaces();
    KernelState before = k.observe();
    NodeNetworkConfigSpec spec = new NodeNetworkConfigSpec();
    spec.getInterfaces().setInclude(List.of(new InterfaceMatcher(glob, null, null)));

    ApplyReport r = new RoutingEngine(k, new StateStore(dir, "fake")).reconcile(spec);

    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).isEqualTo("InvalidConfig");
    assertThat(r.message()).contains("spec.interfaces.include[0].name").contains("'" + glob + "'")
        .contains("e.g. eth[0-9]");
    assertThat(k.observe()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Off:1", "Strict:2", "Off:2"})
  void anRpFilterTheKernelWouldNotApplyBecauseOfAllIsAForeignConflictWithTheFix(String modeAndAll) {
    String[] p = modeAndAll.split(":");
    FakeKernel k = twoInterfaces();
    k.sysctls.put(KernelState.sysctlKey("all", "rp_filter"), p[1]);
    KernelState before = k.observe();
    NodeNetworkConfigSpec spec = new NodeNetworkConfigSpec();
    spec.getRouting().setRpFilter(io.eniroute.crds.v1alpha1.RpFilterMode.valueOf(p[0].toUpperCase()));

    ApplyReport r = new RoutingEngine(k, new StateStore(dir, "fake")).reconcile(spec);

    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).isEqualTo("ForeignConflict");
    assertThat(r.message()).contains("spec.routing.rpFilter: " + p[0])
        .contains("max(net.ipv4.conf.all.rp_filter, net.ipv4.conf.eth0.rp_filter)")
        .contains("all is " + p[1]).contains("net.ipv4.conf.all.rp_filter=");
    assertThat(k.observe()).isEqualTo(before);
  }

  @Test
  void aChangeThatNoLongerPlansWhenVerifiedIsUndoneAndNothingIsOwned() {
    FakeKernel k = twoInterfaces();
    KernelState before = k.observe();
    NodeNetworkConfigSpec spec = new NodeNetworkConfigSpec();
    spec.getRouting().setRpFilter(io.eniroute.crds.v1alpha1.RpFilterMode.STRICT);
    // while the agent applies, another tool sets all.rp_filter=2, which overrides Strict
    String all = KernelState.sysctlKey("all", "rp_filter");
    k.afterNextWrite = () -> k.sysctls.put(all, "2");
    RoutingEngine engine = new RoutingEngine(k, new StateStore(dir, "fake"));

    ApplyReport r = engine.reconcile(spec);

    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).isEqualTo("VerifyFailed");
    assertThat(r.message()).contains("the applied state no longer plans").contains("spec.routing.rpFilter: Strict")
        .contains("nothing is applied");
    k.sysctls.remove(all); // only the other tool's change differs
    KernelState after = k.observe();
    assertThat(after.rules()).isEqualTo(before.rules());
    assertThat(after.addresses()).isEqualTo(before.addresses());
    assertThat(after.sysctls()).isEqualTo(before.sysctls());
    assertThat(after.routes()).as("main's eth1 route is back (appended)").containsExactlyInAnyOrderElementsOf(before.routes());
    assertThat(engine.store().load().isEmpty()).isTrue();
  }

  @Test
  void looseRpFilterTakesEffectWhateverAllSays() {
    FakeKernel k = twoInterfaces();
    k.sysctls.put(KernelState.sysctlKey("all", "rp_filter"), "1");

    ApplyReport r = new RoutingEngine(k, new StateStore(dir, "fake")).reconcile(new NodeNetworkConfigSpec());

    assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
    assertThat(k.sysctls.get(KernelState.sysctlKey("eth1", "rp_filter"))).isEqualTo("2");
  }

  @Test
  void aCorruptOwnershipRecordIsAStateErrorAndTheKernelIsUntouched() throws Exception {
    FakeKernel k = twoInterfaces();
    KernelState before = k.observe();
    StateStore store = new StateStore(dir, "fake");
    java.nio.file.Files.createDirectories(store.file().getParent());
    java.nio.file.Files.writeString(store.file(), "{not json");
    RoutingEngine engine = new RoutingEngine(k, store);

    ApplyReport r = engine.reconcile(withSecondary());
    ApplyReport rv = engine.revert();

    assertThat(r.reason()).isEqualTo("StateError");
    assertThat(r.message()).contains(store.file().toString()).contains("fix or move it away");
    assertThat(rv.reason()).isEqualTo("StateError");
    assertThat(k.observe()).isEqualTo(before);
  }

  @Test
  void deviceIndex100IsRefusedBecauseItWouldTakeTheNextCardsTable() {
    FakeKernel k = twoInterfaces();
    NodeNetworkConfigSpec spec = withSecondary();
    spec.getAddresses().get(0).setDeviceIndex(100);

    ApplyReport r = new RoutingEngine(k, new StateStore(dir, "fake")).reconcile(spec);

    assertThat(r.reason()).isEqualTo("InvalidConfig");
    assertThat(r.message()).contains("spec.addresses[0].deviceIndex: 100 is out of range 0..99");
  }

  @Test
  void aRefusedCommandMidBatchIsUndoneAndNothingIsOwnedAfterwards() {
    FakeKernel k = twoInterfaces();
    KernelState before = k.observe();
    k.refuse = line -> line.startsWith("rule add") && line.contains("from 10.0.0.21/32");
    RoutingEngine engine = new RoutingEngine(k, new StateStore(dir, "fake"));

    ApplyReport r = engine.reconcile(withSecondary());

    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).isEqualTo("KernelError");
    assertThat(r.message()).contains("kernel refused").contains("Operation not permitted").contains("nothing is applied");
    assertThat(k.observe()).isEqualTo(before);
    assertThat(engine.store().load().isEmpty()).isTrue();
  }

  @Test
  void whenTheUndoFailsTooTheOwnershipRecordKeepsWhatIsStillLiveAndRevertRemovesIt() {
    FakeKernel k = twoInterfaces();
    KernelState before = k.observe();
    k.refuse = line -> (line.startsWith("rule add") && line.contains("from 10.0.0.21/32"))
        || line.startsWith("address del 10.0.0.21");
    RoutingEngine engine = new RoutingEngine(k, new StateStore(dir, "fake"));

    ApplyReport r = engine.reconcile(withSecondary());

    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).isEqualTo("UndoFailed");
    assertThat(r.message()).contains("address del 10.0.0.21").contains("still in the kernel")
        .contains("eniroute-agent revert");
    assertThat(k.addresses).anyMatch(a -> a.address().equals("10.0.0.21"));
    assertThat(engine.store().load().addressesAdded()).contains(List.of("eth1", "10.0.0.21/24"));

    k.refuse = line -> false;
    assertThat(engine.revert().outcome()).isEqualTo(Outcome.REVERTED);
    assertThat(k.observe()).isEqualTo(before);
  }
}
