package io.eniroute.helm.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.lab.Cmd;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.EnirouteInstall;
import io.eniroute.lab.kube.RealApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart with the real helm on the real API server: install, upgrade and uninstall succeed
 * and leave what a user expects; an uninstall while a policy exists is refused by the server
 * (the chart's uninstall guard) and deletes nothing. No kubelet runs here, so pods never start: the test proves the
 * server accepts every object (schemas, RBAC objects, the admission policy), not that pods run.
 */
@ExtendWith(RealApiServer.class)
class HelmReleaseTest {
  private static final String RELEASE = "er";
  private static final String NS = "er-system";

  @Test
  void installUpgradeARefusedUninstallWhileAPolicyExistsAndUninstall(ControlPlane plane) {
    try (KubernetesClient admin = plane.adminClient()) {
      // A first install meets no eniroute CRDs (other test classes on this server applied them).
      deleteCrds(admin);
      Cmd.Result install = helm(plane, "install", RELEASE, chart(), "--namespace", NS, "--create-namespace");
      assertThat(install.exit()).as(install.toString()).isZero();
      assertThat(admin.apps().deployments().inNamespace(NS).withName("er-eniroute-operator").get()).isNotNull();
      assertThat(admin.apps().daemonSets().inNamespace(NS).withName("er-eniroute-agent").get()).isNotNull();
      assertThat(admin.rbac().clusterRoles().withName("er-eniroute-operator").get()).isNotNull();
      assertThat(admin.admissionRegistration().v1().validatingAdmissionPolicies().withName("er-eniroute-agent-own-node").get())
          .as("the own-node admission policy, rendered for this 1.34 server").isNotNull();
      assertThat(admin.apiextensions().v1().customResourceDefinitions().withName("nodenetworkpolicies.eniroute.io").get())
          .isNotNull();

      Cmd.Result upgrade = helm(plane, "upgrade", RELEASE, chart(), "--namespace", NS, "--set", "operator.replicas=3");
      assertThat(upgrade.exit()).as(upgrade.toString()).isZero();
      assertThat(admin.apps().deployments().inNamespace(NS).withName("er-eniroute-operator").get().getSpec().getReplicas())
          .isEqualTo(3);
      assertThat(helm(plane, "history", RELEASE, "--namespace", NS, "-o", "json").check().out()).contains("\"revision\":2");

      // The uninstall guard: while a policy exists the API server refuses helm's pre-delete hook.
      admin.resource(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
          "{\"apiVersion\":\"eniroute.io/v1alpha1\",\"kind\":\"NodeNetworkPolicy\",\"metadata\":{\"name\":\"still-here\"},"
              + "\"spec\":{\"nodeSelector\":{\"matchLabels\":{\"x\":\"y\"}}}}",
          io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)).create();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> guardRefuses(admin));
      Cmd.Result refused = helm(plane, "uninstall", RELEASE, "--namespace", NS, "--wait", "--timeout", "60s");
      assertThat(refused.exit()).as(refused.toString()).isNotZero();
      assertThat(refused.err()).contains("NodeNetworkPolicy still-here still exists", "kubectl delete nnp --all");
      assertThat(admin.apps().deployments().inNamespace(NS).withName("er-eniroute-operator").get())
          .as("a refused uninstall deletes nothing").isNotNull();
      // helm keeps the release (marked uninstalling): the next uninstall, or a rollback, carries on.
      assertThat(helm(plane, "status", RELEASE, "--namespace", NS).check().out()).contains("STATUS: uninstalling");
      admin.genericKubernetesResources("eniroute.io/v1alpha1", "NodeNetworkPolicy").withName("still-here").delete();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !guardRefuses(admin));

      Cmd.Result uninstall = helm(plane, "uninstall", RELEASE, "--namespace", NS, "--wait", "--timeout", "60s");
      assertThat(uninstall.exit()).as(uninstall.toString()).isZero();
      assertThat(admin.apps().deployments().inNamespace(NS).withName("er-eniroute-operator").get()).isNull();
      assertThat(admin.apps().daemonSets().inNamespace(NS).withName("er-eniroute-agent").get()).isNull();
      assertThat(admin.rbac().clusterRoles().withName("er-eniroute-operator").get()).isNull();
      assertThat(admin.admissionRegistration().v1().validatingAdmissionPolicies().withName("er-eniroute-agent-own-node").get())
          .isNull();
      assertThat(admin.admissionRegistration().v1().validatingAdmissionPolicies().withName("er-eniroute-uninstall-guard").get())
          .isNull();
    }
  }

  /** A server-side dry run of the hook's ConfigMap: refused while the guard sees a policy. */
  private static boolean guardRefuses(KubernetesClient admin) {
    try {
      admin.configMaps().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
          .withNewMetadata().withName("er-eniroute-uninstall-guard").endMetadata().build()).dryRun().create();
      return false;
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      return e.getCode() == 403 || e.getCode() == 422;
    }
  }

  private static void deleteCrds(KubernetesClient admin) {
    var crds = admin.apiextensions().v1().customResourceDefinitions();
    List<String> names = List.of("nodenetworkpolicies.eniroute.io", "nodenetworkconfigs.eniroute.io");
    names.forEach(n -> crds.withName(n).delete());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> names.stream().allMatch(n -> crds.withName(n).get() == null));
  }

  private static String chart() {
    return EnirouteInstall.repoRoot().resolve("helm/eniroute").toString();
  }

  private static Cmd.Result helm(ControlPlane plane, String... args) {
    Path helm = EnirouteInstall.helm(EnirouteInstall.repoRoot());
    List<String> argv = new ArrayList<>(List.of(helm.toString(), "--kubeconfig", plane.kubeconfigFile().toString()));
    argv.addAll(List.of(args));
    return Cmd.run(argv, null, Duration.ofMinutes(3));
  }
}
