package io.eniroute.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The agent runs on every node with host networking, so its pod must be as narrow as possible. */
@org.junit.jupiter.api.extension.ExtendWith(RenderedCharts.class)
class AgentPodSpecTest {
  private final RenderedCharts.Charts charts;

  AgentPodSpecTest(RenderedCharts.Charts charts) {
    this.charts = charts;
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void agentIsNotPrivilegedAndHoldsOnlyNetAdminAndNetRaw(ValueSet values) {
    PodSpec pod = charts.of(values).agent().getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getInitContainers()).isNullOrEmpty();
    assertThat(pod.getContainers()).hasSize(1);

    SecurityContext sc = pod.getContainers().get(0).getSecurityContext();
    assertThat(sc.getPrivileged()).isFalse();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
    assertThat(sc.getProcMount()).isNull();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void agentMountsOnlyItsJournalTheNetSysctlsAndATmpfs(ValueSet values) {
    DaemonSet ds = charts.of(values).agent();
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    Map<String, String> hostPaths = new java.util.TreeMap<>();
    for (Volume v : pod.getVolumes()) {
      if (v.getHostPath() != null) {
        hostPaths.put(v.getName(), v.getHostPath().getPath());
      } else {
        assertThat(v.getEmptyDir()).as("volume %s", v.getName()).isNotNull();
      }
    }
    String stateDir = values == ValueSet.CUSTOM_PLACEMENT ? "/var/lib/netroute" : "/var/lib/eniroute";
    assertThat(hostPaths).containsExactlyInAnyOrderEntriesOf(
        Map.of("state", stateDir, "host-proc-sys-net", "/proc/sys/net"));

    Container agent = pod.getContainers().get(0);
    assertThat(agent.getVolumeMounts()).extracting(VolumeMount::getName, VolumeMount::getMountPath)
        .contains(org.assertj.core.groups.Tuple.tuple("state", stateDir));
    assertThat(agent.getArgs()).contains("cluster", "--state-dir=" + stateDir);
  }

  @Test
  void agentLearnsItsNodeFromTheDownwardApiAndRunsEverywhereByDefault() {
    DaemonSet ds = charts.of(ValueSet.DEFAULTS).agent();
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    Container agent = pod.getContainers().get(0);

    EnvVar nodeName = agent.getEnv().stream().filter(e -> e.getName().equals("NODE_NAME")).findFirst().orElseThrow();
    assertThat(nodeName.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    assertThat(agent.getCommand()).containsExactly("eniroute-agent");
    assertThat(agent.getArgs()).containsExactly(
        "cluster", "--health-port=9765", "--metrics-port=9766", "--state-dir=/var/lib/eniroute", "--resync=60s", "--imds=true");
    assertThat(agent.getEnv()).extracting(EnvVar::getName).contains("JAVA_TOOL_OPTIONS");
    // /proc/sys is read-only without privileged: the sysctl root points at the writable mount.
    assertThat(agent.getEnv()).filteredOn(e -> e.getName().equals("ENIROUTE_PROC_SYS"))
        .singleElement().extracting(EnvVar::getValue).isEqualTo("/host/proc/sys");
    assertThat(agent.getVolumeMounts()).filteredOn(v -> v.getName().equals("host-proc-sys-net"))
        .singleElement().satisfies(v -> {
          assertThat(v.getMountPath()).isEqualTo("/host/proc/sys/net");
          assertThat(v.getReadOnly()).isNotEqualTo(Boolean.TRUE);
        });

    assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(pod.getTolerations()).extracting(Toleration::getOperator, Toleration::getKey)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Exists", null));
    assertThat(pod.getNodeSelector()).containsExactly(Map.entry("kubernetes.io/os", "linux"));
    assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getStrVal()).isEqualTo("10%");

    assertThat(agent.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(agent.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(agent.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");
    assertThat(agent.getPorts()).extracting(p -> p.getName() + "=" + p.getContainerPort())
        .containsExactlyInAnyOrder("health=9765", "metrics=9766");
  }

  @Test
  void customPlacementValuesReachThePodSpec() {
    DaemonSet ds = charts.of(ValueSet.CUSTOM_PLACEMENT).agent();
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    // Helm merges maps with the defaults: kubernetes.io/os stays unless set to null.
    assertThat(pod.getNodeSelector()).containsOnly(Map.entry("kubernetes.io/os", "linux"),
        Map.entry("eniroute.io/multi-nic", "true"), Map.entry("node.kubernetes.io/instance-type", "c6i.4xlarge"));
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
      assertThat(t.getKey()).isEqualTo("dedicated");
      assertThat(t.getValue()).isEqualTo("network");
      assertThat(t.getEffect()).isEqualTo("NoSchedule");
    });
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isEqualTo(2);
    assertThat(pod.getServiceAccountName()).isEqualTo("netroute-node-agent");
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo("registry.example.com/eniroute/agent:0.1.0-rc1");
    assertThat(pod.getContainers().get(0).getPorts()).extracting(p -> p.getName() + "=" + p.getContainerPort())
        .containsExactly("health=19765");
    assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("private-registry");
    assertThat(ds.getMetadata().getLabels()).containsEntry("team", "network");
  }
}
