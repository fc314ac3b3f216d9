package io.eniroute.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The operator: highly available, probed on its health port, non-root, AWS only when asked. */
@org.junit.jupiter.api.extension.ExtendWith(RenderedCharts.class)
class OperatorDeploymentTest {
  private final RenderedCharts.Charts charts;
  private final Helm helm;

  OperatorDeploymentTest(RenderedCharts.Charts charts) {
    this.charts = charts;
    this.helm = charts.helm();
  }

  @Test
  void twoReplicasWithLeaderElectionProbesOnTheHealthPortAndAPdb() {
    Manifests m = charts.of(ValueSet.DEFAULTS);
    Deployment d = m.operator();
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).containsExactly("--health-port=8081", "--metrics-port=8080", "--leader-election",
        "--lease-name=eniroute-operator");

    int healthPort = c.getPorts().stream().filter(p -> p.getName().equals("health"))
        .mapToInt(ContainerPort::getContainerPort).findFirst().orElseThrow();
    assertThat(healthPort).isEqualTo(8081);
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");

    PodDisruptionBudget pdb = m.single(PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .isEqualTo(d.getSpec().getSelector().getMatchLabels());
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void operatorRunsAsNonRootWithNothingExtra(ValueSet values) {
    PodSpec pod = charts.of(values).operator().getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    var sc = pod.getContainers().get(0).getSecurityContext();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
  }

  @Test
  void awsValuesTurnOnEc2AndAnnotateTheServiceAccountForIrsa() {
    Manifests m = charts.of(ValueSet.AWS_IRSA);
    Container c = m.operator().getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs()).contains("--aws", "--region=eu-west-1");

    ServiceAccount sa = m.ofComponent(ServiceAccount.class, "operator").get(0);
    assertThat(sa.getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::111122223333:role/eniroute-operator")
        .containsEntry("example.com/owner", "platform-team");
    assertThat(m.operator().getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(sa.getMetadata().getName());

    Container withoutAws = charts.of(ValueSet.DEFAULTS).operator()
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(withoutAws.getArgs()).doesNotContain("--aws");
  }

  @Test
  void customValuesReachTheOperator() {
    Manifests m = charts.of(ValueSet.CUSTOM_PLACEMENT);
    Deployment d = m.operator();
    assertThat(d.getMetadata().getName()).isEqualTo("netroute-operator");
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(m.single(PodDisruptionBudget.class).getSpec().getMinAvailable().getIntVal()).isEqualTo(2);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo(
        "registry.example.com/eniroute/operator@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    assertThat(pod.getContainers().get(0).getPorts()).extracting(ContainerPort::getName).containsExactly("health");
    assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
    assertThat(pod.getAffinity().getPodAntiAffinity()).isNull();
  }

  @Test
  void inconsistentValuesFailWithTheFieldAndTheFix() throws Exception {
    java.nio.file.Path noLeader = java.nio.file.Files.createTempFile("values-noleader", ".yaml");
    java.nio.file.Path pdbTooHigh = java.nio.file.Files.createTempFile("values-pdb", ".yaml");
    try {
      java.nio.file.Files.writeString(noLeader, "operator:\n  leaderElection:\n    enabled: false\n");
      java.nio.file.Files.writeString(pdbTooHigh, "operator:\n  replicas: 1\n");
      assertThat(helm.template(noLeader).err())
          .contains("operator.replicas > 1 needs operator.leaderElection.enabled=true");
      assertThat(helm.template(pdbTooHigh).err())
          .contains("operator.podDisruptionBudget.minAvailable (1) must be below operator.replicas (1)");
    } finally {
      java.nio.file.Files.deleteIfExists(noLeader);
      java.nio.file.Files.deleteIfExists(pdbTooHigh);
    }
  }
}
