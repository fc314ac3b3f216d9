package io.eniroute.helm.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.lab.Cmd;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.EnirouteInstall;
import io.eniroute.lab.kube.RealApiServer;
import io.eniroute.operator.runtime.CrdGuard;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Upgrading a release from chart 0.1.0 (the packaged release, src/test/resources/charts) to this
 * chart with the real helm on the real server: helm upgrades every template but never the CRDs,
 * so the new operator, started as the release's own ServiceAccount, finds them older than its
 * model and updates them with the permissions the new chart grants.
 *
 * <p>0.1.0's own NodeNetworkConfig CRD is refused by Kubernetes (its CEL rule is over the cost
 * budget, see docs/contributing.md), so no cluster holds it; the "older" CRDs here are this
 * version's minus one field, installed before 0.1.0 with --skip-crds, as an earlier chart left them.
 */
@ExtendWith(RealApiServer.class)
class HelmUpgradeTest {
  private static final String RELEASE = "up";
  private static final String NS = "up-system";
  private static final String POLICIES = "nodenetworkpolicies.eniroute.io";

  @Test
  void upgradeFrom010KeepsTheReleaseAndTheNewOperatorUpdatesTheOlderCrds(ControlPlane plane) throws Exception {
    try (KubernetesClient admin = plane.adminClient()) {
      EnirouteInstall.onto(plane);
      CustomResourceDefinition older = bundled(POLICIES);
      rollout(older).getProperties().remove("nodeTimeoutSeconds");
      admin.apiextensions().v1().customResourceDefinitions().resource(older).fieldManager("helm").forceConflicts().serverSideApply();

      Path previous = Path.of("src/test/resources/charts/eniroute-0.1.0.tgz").toAbsolutePath();
      Cmd.Result install = helm(plane, "install", RELEASE, previous.toString(), "--namespace", NS, "--create-namespace",
          "--skip-crds");
      assertThat(install.exit()).as(install.toString()).isZero();
      assertThat(helm(plane, "list", "-n", NS, "-o", "json").check().out()).contains("\"chart\":\"eniroute-0.1.0\"");

      Cmd.Result upgrade = helm(plane, "upgrade", RELEASE, EnirouteInstall.repoRoot().resolve("helm/eniroute").toString(),
          "--namespace", NS);
      assertThat(upgrade.exit()).as(upgrade.toString()).isZero();
      assertThat(helm(plane, "list", "-n", NS, "-o", "json").check().out()).contains("\"chart\":\"eniroute-0.2.0\"");
      assertThat(rollout(admin.apiextensions().v1().customResourceDefinitions().withName(POLICIES).get()).getProperties())
          .as("helm upgrade leaves crds/ alone").doesNotContainKey("nodeTimeoutSeconds");

      try (KubernetesClient operator = plane.serviceAccountClient(NS, RELEASE + "-eniroute-operator")) {
        List<CrdGuard.Outcome> outcomes = new CrdGuard(operator, true).ensureCurrent();
        assertThat(outcomes).filteredOn(CrdGuard.Outcome::updated).extracting(CrdGuard.Outcome::crd).containsExactly(POLICIES);
      }
      assertThat(rollout(admin.apiextensions().v1().customResourceDefinitions().withName(POLICIES).get()).getProperties())
          .as("the new operator updated the CRD").containsKey("nodeTimeoutSeconds");

      assertThat(helm(plane, "uninstall", RELEASE, "--namespace", NS, "--wait", "--timeout", "60s").exit()).isZero();
    }
  }

  private static CustomResourceDefinition bundled(String name) throws Exception {
    try (InputStream in = CrdGuard.class.getResourceAsStream("/META-INF/eniroute-crds/" + name + "-v1.yml")) {
      return new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    }
  }

  private static JSONSchemaProps rollout(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()
        .getProperties().get("spec").getProperties().get("rollout");
  }

  private static Cmd.Result helm(ControlPlane plane, String... args) {
    Path helm = EnirouteInstall.helm(EnirouteInstall.repoRoot());
    List<String> argv = new ArrayList<>(List.of(helm.toString(), "--kubeconfig", plane.kubeconfigFile().toString()));
    argv.addAll(List.of(args));
    return Cmd.run(argv, null, Duration.ofMinutes(3));
  }
}
