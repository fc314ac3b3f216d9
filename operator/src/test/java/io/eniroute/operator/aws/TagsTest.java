package io.eniroute.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TagsTest {
  @Test
  void fortyNineAddressesSplitIntoTagValuesOfAtMost256CharactersAndReadBack() {
    Set<String> ips = new LinkedHashSet<>();
    for (int i = 0; i < 49; i++) {
      ips.add("10.100.200." + (100 + i));
    }
    Map<String, String> record = Tags.secondaryIpRecord(ips);

    assertThat(record.size()).isGreaterThan(1);
    assertThat(record.keySet()).startsWith(Tags.SECONDARY_IPS).allMatch(k -> k.startsWith(Tags.SECONDARY_IPS));
    assertThat(record.values()).allMatch(v -> v.length() <= 256);
    Map<String, String> onEni = new java.util.HashMap<>(record);
    onEni.put("Name", "web");
    assertThat(Tags.recordedSecondaryIps(onEni)).containsExactlyInAnyOrderElementsOf(ips);
    assertThat(Tags.recordKeys(onEni)).containsExactlyInAnyOrderElementsOf(record.keySet());
  }

  @Test
  void fortyNineRetiringAddressesWithTheirGenerationsSplitAndReadBackApartFromTheRecord() {
    Map<String, Long> retiring = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 49; i++) {
      retiring.put("10.100.200." + (100 + i), 1000L + i);
    }
    Map<String, String> tags = new java.util.HashMap<>(Tags.retiringIpRecord(retiring));
    tags.putAll(Tags.secondaryIpRecord(Set.of("10.0.0.1")));
    tags.put(Tags.RETIRING, "7");

    assertThat(tags.values()).allMatch(v -> v.length() <= 256);
    assertThat(Tags.retiringIps(tags)).containsExactlyInAnyOrderEntriesOf(retiring);
    assertThat(Tags.retiringKeys(tags)).hasSizeGreaterThan(1).doesNotContain(Tags.RETIRING, Tags.SECONDARY_IPS);
    assertThat(Tags.recordedSecondaryIps(tags)).containsExactly("10.0.0.1");
    assertThat(Tags.retiringSince(tags)).hasValue(7);
  }

  @Test
  void clientTokenIsStablePerInstanceDeviceSubnetAndGroupsAndFitsEc2sLimit() {
    String a = InterfaceEnsurer.clientToken("i-0123456789abcdef0", 1, "subnet-1234abcd", java.util.List.of("sg-2", "sg-1"), "node-a");
    assertThat(a).isEqualTo(InterfaceEnsurer.clientToken("i-0123456789abcdef0", 1, "subnet-1234abcd",
        java.util.List.of("sg-1", "sg-2"), "node-a"));
    assertThat(a).hasSizeLessThanOrEqualTo(64);
    assertThat(a).isNotEqualTo(InterfaceEnsurer.clientToken("i-0123456789abcdef0", 2, "subnet-1234abcd",
        java.util.List.of("sg-1", "sg-2"), "node-a"));
  }

  @Test
  void anAssignIntentOverFortyNineAddressesSplitsIntoTagValuesOfAtMost256CharactersAndReadsBackCountFirst() {
    List<String> before = new ArrayList<>();
    for (int i = 0; i < 49; i++) {
      before.add("10.100.200." + (100 + i));
    }
    Map<String, String> intent = Tags.assigning(3, before);

    assertThat(intent.size()).isGreaterThan(1);
    assertThat(intent.values()).allMatch(v -> v.length() <= 256);
    Map<String, String> onEni = new HashMap<>(intent);
    onEni.put(Tags.SECONDARY_IPS, "10.0.0.9");
    assertThat(Tags.assigningTokens(onEni)).first().isEqualTo("3");
    assertThat(Tags.assigningTokens(onEni).subList(1, 50)).containsExactlyInAnyOrderElementsOf(before);
    assertThat(Tags.assigningKeys(onEni)).containsExactlyInAnyOrderElementsOf(intent.keySet());
    assertThat(Tags.recordKeys(onEni)).containsExactly(Tags.SECONDARY_IPS);
  }
}
