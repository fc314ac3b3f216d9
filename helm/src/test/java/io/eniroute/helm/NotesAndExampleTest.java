package io.eniroute.helm;

import io.eniroute.lab.Cmd;
import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** After install the user learns what to do next, with a policy that actually fits the API. */
@org.junit.jupiter.api.extension.ExtendWith(RenderedCharts.class)
class NotesAndExampleTest {
  private final RenderedCharts.Charts charts;
  private final Helm helm;

  NotesAndExampleTest(RenderedCharts.Charts charts) {
    this.charts = charts;
    this.helm = charts.helm();
  }

  @Test
  void examplePolicyFitsTheNodeNetworkPolicyModelExactly() throws IOException {
    String example = Files.readString(helm.chart().resolve("examples/policy.yaml"));
    List<HasMetadata> objects = new StrictManifestReader().readAll(example);
    assertThat(objects).singleElement().isInstanceOf(NodeNetworkPolicy.class);
    NodeNetworkPolicy policy = (NodeNetworkPolicy) objects.get(0);
    assertThat(new AdditionalPropertiesScanner().scan(policy)).isEmpty();
    assertThat(policy.getSpec().getNodeSelector().getMatchLabels()).containsEntry("eniroute.io/multi-nic", "true");
  }

  @Test
  void theChartNeverInstallsAPolicy() {
    assertThat(charts.of(ValueSet.DEFAULTS).objects())
        .noneMatch(NodeNetworkPolicy.class::isInstance);
  }

  @Test
  void notesTellTheUserToLabelNodesAndApplyThePolicy() throws IOException {
    Cmd.Result r = helm.dryRunInstall();
    assertThat(r.exit()).as(r.err()).isZero();
    String notes = r.out().substring(r.out().indexOf("NOTES:"));
    assertThat(notes)
        .contains("kubectl label node <node-name> eniroute.io/multi-nic=true")
        .contains("kind: NodeNetworkPolicy")
        .contains("kubectl get nodenetworkconfigs")
        .contains("delete your policies FIRST");
    // The example is printed whole inside a heredoc whose terminator starts its line, so the
    // pasted block ends where it should.
    String example = Files.readString(helm.chart().resolve("examples/policy.yaml")).strip();
    assertThat(notes).contains("kubectl apply -f - <<'POLICY'\n" + example + "\nPOLICY\n");
  }

  @Test
  void notesWarnWhenAwsIsOnWithoutCredentials() throws IOException {
    java.nio.file.Path v = Files.createTempFile("values-aws-nocreds", ".yaml");
    try {
      Files.writeString(v, "operator:\n  aws:\n    enabled: true\n");
      Cmd.Result r = helm.dryRunInstall(v);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("WARNING: operator.aws.roleArn is empty").contains("docs/aws.md");
      assertThat(helm.dryRunInstall(ValueSet.AWS_IRSA.files()).out())
          .contains("assumes arn:aws:iam::111122223333:role/eniroute-operator (IRSA)")
          .doesNotContain("WARNING");
    } finally {
      Files.deleteIfExists(v);
    }
  }
}
