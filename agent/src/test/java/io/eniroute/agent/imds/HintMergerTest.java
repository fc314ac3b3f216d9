package io.eniroute.agent.imds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class HintMergerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static NodeNetworkConfigSpec spec() {
    NodeNetworkConfigSpec s = new NodeNetworkConfigSpec();
    s.setPolicy("p");
    s.setPolicyGeneration(3L);
    InterfaceAddresses op = new InterfaceAddresses("02:aa:00:00:00:02", List.of("10.0.0.21", "10.0.0.22"));
    op.setDeviceIndex(5); // the operator's number wins over IMDS's
    InterfaceAddresses op2 = new InterfaceAddresses("02:aa:00:00:00:03", List.of("10.0.0.31"));
    s.setAddresses(List.of(op, op2));
    return s;
  }

  private static List<InterfaceAddresses> hints() {
    return List.of(
        new ImdsInterface("02:aa:00:00:00:01", "eni-a", 0, 0, List.of("10.0.0.10"), "10.0.0.0/24").hint(),
        new ImdsInterface("02:aa:00:00:00:02", "eni-b", 1, 0, List.of("10.0.0.20"), "10.0.0.0/24").hint(),
        new ImdsInterface("02:AA:00:00:00:03", "eni-c", 2, 1, List.of("10.0.0.30"), "10.0.0.0/24").hint());
  }

  @Test
  void operatorAddressesWinAndImdsFillsOnlyMissingNumbering() throws Exception {
    NodeNetworkConfigSpec in = spec();
    String before = JSON.writeValueAsString(in);

    NodeNetworkConfigSpec out = new HintMerger().merge(in, hints());

    assertThat(out.getAddresses()).hasSize(3);
    InterfaceAddresses b = out.getAddresses().get(0);
    assertThat(b.getMac()).isEqualTo("02:aa:00:00:00:02");
    assertThat(b.getAddresses()).containsExactly("10.0.0.21", "10.0.0.22");
    assertThat(b.getDeviceIndex()).isEqualTo(5);
    assertThat(b.getInterfaceId()).isEqualTo("eni-b");
    InterfaceAddresses c = out.getAddresses().get(1);
    assertThat(c.getDeviceIndex()).isEqualTo(2);
    assertThat(c.getNetworkCard()).isEqualTo(1);
    assertThat(c.getAddresses()).containsExactly("10.0.0.31");
    InterfaceAddresses a = out.getAddresses().get(2);
    assertThat(a.getMac()).isEqualTo("02:aa:00:00:00:01");
    assertThat(a.getAddresses()).isEmpty();
    assertThat(a.getDeviceIndex()).isZero();
    // Everything else is carried over, and the operator's spec object is left untouched.
    assertThat(out.getPolicyGeneration()).isEqualTo(3L);
    assertThat(out.getState()).isEqualTo(ConfigState.PRESENT);
    assertThat(JSON.writeValueAsString(in)).isEqualTo(before);
  }

  @Test
  void mergingTheSameInputsTwiceGivesEqualSpecsSoNoChangeIsSeen() throws Exception {
    HintMerger m = new HintMerger();
    assertThat(JSON.writeValueAsString(m.merge(spec(), hints())))
        .isEqualTo(JSON.writeValueAsString(m.merge(spec(), hints())));
  }

  @Test
  void withoutHintsTheSpecIsUsedAsItIs() {
    NodeNetworkConfigSpec in = spec();
    assertThat(new HintMerger().merge(in, List.of())).isSameAs(in);
  }
}
