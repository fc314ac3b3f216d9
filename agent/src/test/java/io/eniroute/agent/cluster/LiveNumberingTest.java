package io.eniroute.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Interfaces with a live table keep their numbers whatever IMDS says now. */
class LiveNumberingTest {
  private static final String M1 = "02:aa:00:00:00:02";
  private static final String M2 = "02:aa:00:00:00:03";
  private static final String M3 = "02:aa:00:00:00:04";

  private static InterfaceAddresses imds(String mac, int index) {
    InterfaceAddresses a = new InterfaceAddresses(mac, List.of());
    a.setInterfaceId("eni-" + index);
    a.setDeviceIndex(index);
    a.setNetworkCard(0);
    return a;
  }

  private static List<InterfaceStatus> liveTables(Object... macAndTable) {
    List<InterfaceStatus> out = new ArrayList<>();
    for (int i = 0; i < macAndTable.length; i += 2) {
      out.add(FakeRouting.iface("eth" + i, (String) macAndTable[i], (int) ((Long) macAndTable[i + 1] - 10000)));
    }
    return out;
  }

  @Test
  void kernelNumberedInterfacesKeepTheirNumbersWhenImdsComesBackWithOthers() {
    // IMDS was down at the first apply: the kernel's order gave M1 table 10001 and M2 10002.
    LiveNumbering live = new LiveNumbering(() -> liveTables(M1, 10001L, M2, 10002L));

    List<InterfaceAddresses> hints = live.hints(new NodeNetworkConfigSpec(), List.of(imds(M1, 2), imds(M2, 1)));

    assertThat(hints).extracting(InterfaceAddresses::getMac, InterfaceAddresses::getDeviceIndex)
        .containsExactlyInAnyOrder(tuple(M1, 1), tuple(M2, 2));
  }

  @Test
  void aNewInterfaceGetsImdsNumberingUnlessALiveInterfaceHoldsThatSlot() {
    LiveNumbering live = new LiveNumbering(() -> liveTables(M1, 10001L));

    List<InterfaceAddresses> hints = live.hints(new NodeNetworkConfigSpec(), List.of(imds(M1, 2), imds(M3, 1),
        imds(M2, 3)));

    assertThat(hints).extracting(InterfaceAddresses::getMac, InterfaceAddresses::getDeviceIndex)
        .containsExactlyInAnyOrder(tuple(M1, 1), tuple(M3, null), tuple(M2, 3));
  }

  @Test
  void withNothingLiveImdsNumbersAndTheOperatorsIndexAlwaysWins() {
    LiveNumbering nothing = new LiveNumbering(List::of);
    assertThat(nothing.hints(new NodeNetworkConfigSpec(), List.of(imds(M1, 2))))
        .extracting(InterfaceAddresses::getDeviceIndex).containsExactly(2);

    LiveNumbering live = new LiveNumbering(() -> liveTables(M1, 10001L));
    NodeNetworkConfigSpec spec = new NodeNetworkConfigSpec();
    InterfaceAddresses op = new InterfaceAddresses(M1, List.of("10.0.0.21"));
    op.setDeviceIndex(4);
    spec.setAddresses(List.of(op));
    assertThat(live.hints(spec, List.of(imds(M1, 2)))).isEmpty();
  }

  @Test
  void aFailedPassDoesNotForgetWhatIsLiveButARevertDoes() {
    LiveNumbering live = new LiveNumbering(() -> liveTables(M1, 10001L));
    live.hints(new NodeNetworkConfigSpec(), List.of());
    live.update(new ApplyReport(Outcome.FAILED, 0, 1, List.of(), 0, 0, List.of(), "KernelError", "x"));
    assertThat(live.hints(new NodeNetworkConfigSpec(), List.of(imds(M1, 2))))
        .extracting(InterfaceAddresses::getDeviceIndex).containsExactly(1);

    live.update(new ApplyReport(Outcome.REVERTED, 4, 1, List.of(), 0, 0, List.of(), "Reverted", "x"));
    assertThat(live.hints(new NodeNetworkConfigSpec(), List.of(imds(M1, 2))))
        .extracting(InterfaceAddresses::getDeviceIndex).containsExactly(2);
  }
}
