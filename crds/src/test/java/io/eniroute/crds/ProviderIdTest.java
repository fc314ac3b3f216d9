package io.eniroute.crds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderIdTest {
  @ParameterizedTest
  @CsvSource(nullValues = "none", value = {
      "aws:///us-east-1a/i-0123456789abcdef0, us-east-1a, i-0123456789abcdef0",
      "aws:////i-0abc1234, none, i-0abc1234",
      "' aws:///eu-west-1b/i-0abc1234 ', eu-west-1b, i-0abc1234"})
  void readsTheZoneAndInstanceOfAnEc2Node(String providerId, String zone, String instance) {
    assertThat(ProviderId.parse(providerId)).contains(new ProviderId(zone, instance));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "kind://docker/kind/kind-worker", "aws:///us-east-1a/fargate-ip-10-0-0-1",
      "aws:///us-east-1a/i-XYZ", "gce://project/zone/vm"})
  void anythingElseIsNotAnEc2Instance(String providerId) {
    assertThat(ProviderId.parse(providerId)).isEmpty();
  }
}
