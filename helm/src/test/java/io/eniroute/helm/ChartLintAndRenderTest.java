package io.eniroute.helm;

import io.eniroute.lab.Cmd;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real helm: the chart lints strictly and renders valid typed objects for every value set. */
@org.junit.jupiter.api.extension.ExtendWith(RenderedCharts.class)
class ChartLintAndRenderTest {
  private final RenderedCharts.Charts charts;
  private final Helm helm;

  ChartLintAndRenderTest(RenderedCharts.Charts charts) {
    this.charts = charts;
    this.helm = charts.helm();
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void lintsStrictly(ValueSet values) {
    Cmd.Result r = helm.lint(values.files());
    assertThat(r.exit()).as("helm lint --strict output:\n%s", r.output()).isZero();
    assertThat(r.output()).doesNotContain("[WARNING]", "[ERROR]");
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void everyRenderedObjectFitsTheTypedModelWithoutUnknownFields(ValueSet values) {
    // Manifests.render parses with StrictManifestReader: unknown fields already failed there.
    List<HasMetadata> objects = charts.of(values).objects();

    assertThat(objects).extracting(HasMetadata::getKind)
        .contains("CustomResourceDefinition", "Deployment", "DaemonSet", "ClusterRole", "ServiceAccount");
    AdditionalPropertiesScanner scanner = new AdditionalPropertiesScanner();
    for (HasMetadata o : objects) {
      assertThat(scanner.scan(o)).as("unknown fields in %s %s", o.getKind(), o.getMetadata().getName()).isEmpty();
    }
  }

  @Test
  void aTypoInTheValuesFailsLintAndInstallNamingTheKey() {
    Path typo = ValueSet.resourcePath("values-typo.yaml");

    Cmd.Result lint = helm.lint(typo);
    assertThat(lint.exit()).isNotZero();
    assertThat(lint.output()).contains("replcas").contains("/operator");

    Cmd.Result template = helm.template(typo);
    assertThat(template.exit()).isNotZero();
    assertThat(template.err()).contains("additional properties 'replcas' not allowed").contains("/operator");
  }

  @Test
  void valueSetsChangeWhatIsRendered() {
    List<String> defaults = kinds(ValueSet.DEFAULTS);
    assertThat(defaults).contains("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
        "PodDisruptionBudget", "Service").doesNotContain("ServiceMonitor");
    assertThat(kinds(ValueSet.METRICS)).contains("ServiceMonitor");
    assertThat(kinds(ValueSet.CUSTOM_PLACEMENT)).doesNotContain("Service", "ServiceMonitor");
    assertThat(names(ValueSet.CUSTOM_PLACEMENT)).as("agent.admissionPolicy.enabled=false")
        .noneMatch(n -> n.endsWith("-agent-own-node"));
    assertThat(names(ValueSet.DEFAULTS)).as("the uninstall guard is on by default")
        .contains("eniroute-uninstall-guard");
    Cmd.Result noGuard = charts.helm().template(List.of("--set", "uninstallGuard.enabled=false"));
    assertThat(noGuard.exit()).as(noGuard.err()).isZero();
    assertThat(noGuard.out()).doesNotContain("uninstall-guard");
  }

  private List<String> names(ValueSet values) {
    return charts.of(values).objects().stream().map(o -> o.getMetadata().getName()).toList();
  }

  private List<String> kinds(ValueSet values) {
    return charts.of(values).objects().stream().map(HasMetadata::getKind).toList();
  }
}
