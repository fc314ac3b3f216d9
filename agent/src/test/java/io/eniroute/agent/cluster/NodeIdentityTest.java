package io.eniroute.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {

  @Test
  void anEc2ProviderIdGivesTheInstanceZoneAndTheRegionLabel() {
    NodeIdentity id = NodeIdentity.of(new NodeBuilder().withNewMetadata().withName("n")
        .addToLabels(NodeIdentity.REGION_LABEL, "us-east-1").endMetadata()
        .withNewSpec().withProviderID("aws:///us-east-1a/i-0123456789abcdef0").endSpec().build());

    assertThat(id).isEqualTo(new NodeIdentity("i-0123456789abcdef0", "us-east-1a", "us-east-1"));
    assertThat(id).hasToString("instance i-0123456789abcdef0 in us-east-1 (zone us-east-1a)");
  }

  @Test
  void withoutTheRegionLabelTheRegionIsTheZoneWithoutItsLetter() {
    assertThat(NodeIdentity.parse("aws:///eu-west-2c/i-0abc", null).region()).isEqualTo("eu-west-2");
    assertThat(NodeIdentity.parse("aws:///us-gov-west-1a/i-0abc", " ").region()).isEqualTo("us-gov-west-1");
    assertThat(NodeIdentity.parse("aws:///ap-southeast-1b/i-0abc", null).region()).isEqualTo("ap-southeast-1");
  }

  @Test
  void aProviderIdWithoutAZoneStillGivesTheInstance() {
    NodeIdentity id = NodeIdentity.parse("aws:////i-0abc", null);

    assertThat(id).isEqualTo(new NodeIdentity("i-0abc", null, null));
    assertThat(id).hasToString("instance i-0abc in an unknown region");
  }

  @Test
  void anotherCloudsProviderIdIsRejectedNamingTheFieldAndTheValue() {
    assertThatThrownBy(() -> NodeIdentity.parse("kind://docker/kind/kind-worker", "us-east-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spec.providerID 'kind://docker/kind/kind-worker' is not an EC2 instance (aws:///<zone>/i-...)");
    assertThatThrownBy(() -> NodeIdentity.parse("aws:///us-east-1a/fargate-ip-10-0-0-1", null))
        .hasMessageContaining("is not an EC2 instance");
  }

  @Test
  void aNodeWithoutProviderIdIsRejected() {
    assertThatThrownBy(() -> NodeIdentity.of(new NodeBuilder().withNewMetadata().withName("n").endMetadata().build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("spec.providerID is not set");
  }
}
