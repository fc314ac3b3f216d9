package io.eniroute.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With metrics on, each component's pods are reachable through a Service its ServiceMonitor selects. */
@org.junit.jupiter.api.extension.ExtendWith(RenderedCharts.class)
class MetricsTest {
  private final RenderedCharts.Charts charts;

  MetricsTest(RenderedCharts.Charts charts) {
    this.charts = charts;
  }

  @Test
  void serviceMonitorsSelectTheMetricsServicesWhichSelectThePods() {
    Manifests m = charts.of(ValueSet.METRICS);
    Map<String, Map<String, String>> podLabels = Map.of(
        "operator", m.single(Deployment.class).getSpec().getTemplate().getMetadata().getLabels(),
        "agent", m.single(DaemonSet.class).getSpec().getTemplate().getMetadata().getLabels());

    assertThat(m.all(ServiceMonitor.class)).hasSize(2);
    podLabels.forEach((component, labels) -> {
      Service svc = m.ofComponent(Service.class, component).get(0);
      ServiceMonitor sm = m.ofComponent(ServiceMonitor.class, component).get(0);
      assertThat(labels).as("%s pods match their Service", component).containsAllEntriesOf(svc.getSpec().getSelector());
      assertThat(svc.getMetadata().getLabels()).as("%s Service matches its ServiceMonitor", component)
          .containsAllEntriesOf(sm.getSpec().getSelector().getMatchLabels());
      assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
        assertThat(p.getName()).isEqualTo("metrics");
        assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics");
      });
      assertThat(sm.getSpec().getEndpoints()).singleElement().satisfies(e -> {
        assertThat(e.getPort()).isEqualTo("metrics");
        assertThat(e.getPath()).isEqualTo("/metrics");
        assertThat(e.getInterval()).isEqualTo("15s");
      });
      assertThat(sm.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
      assertThat(sm.getSpec().getNamespaceSelector().getMatchNames()).containsExactly(Helm.NAMESPACE);
    });
    assertThat(m.ofComponent(Service.class, "agent").get(0).getSpec().getClusterIP()).isEqualTo("None");
  }
}
