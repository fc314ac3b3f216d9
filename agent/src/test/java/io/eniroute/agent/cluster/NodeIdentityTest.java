package io.eniroute.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eniroute.agent.imds.Discovery;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {

  @Test
  void anEc2ProviderIdGivesTheInstanceZoneAndTheRegionLabel() {
    NodeIdentity id = NodeIdentity.parse("aws:///us-east-1a/i-0123456789abcdef0", "us-east-1");

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
    assertThatThrownBy(() -> NodeIdentity.parse(null, "us-east-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("spec.providerID is not set");
  }

  @Test
  void theStatusNamesTheNodesInstanceAndSaysWhenImdsDescribesAnother() {
    Optional<NodeIdentity> node = Optional.of(new NodeIdentity("i-0abc", "eu-west-1a", "eu-west-1"));
    Discovery imdsSame = new Discovery("i-0abc", "eu-west-1", "02:aa:00:00:00:01", List.of(), List.of(), null);
    Discovery imdsOther = new Discovery("i-0def", "us-east-1", "02:aa:00:00:00:01", List.of(), List.of(), null);
    Discovery offAws = Discovery.none("IMDS disabled");

    assertThat(NodeIdentity.describe(node, offAws)).isEqualTo("instance i-0abc in eu-west-1 (zone eu-west-1a)");
    assertThat(NodeIdentity.describe(node, imdsSame)).isEqualTo("instance i-0abc in eu-west-1 (zone eu-west-1a)");
    assertThat(NodeIdentity.describe(node, imdsOther))
        .isEqualTo("instance i-0abc in eu-west-1 (zone eu-west-1a) (IMDS describes i-0def: its numbering is not used)");
    assertThat(NodeIdentity.describe(Optional.empty(), imdsOther)).isEqualTo("instance i-0def in us-east-1");
    assertThat(NodeIdentity.describe(Optional.of(new NodeIdentity("i-0abc", null, null)), imdsSame))
        .as("the region from IMDS when the Node has none").isEqualTo("instance i-0abc in eu-west-1");
    assertThat(NodeIdentity.describe(Optional.empty(), offAws)).isNull();
    assertThat(NodeIdentity.describe(Optional.empty(), null)).isNull();
  }
}
