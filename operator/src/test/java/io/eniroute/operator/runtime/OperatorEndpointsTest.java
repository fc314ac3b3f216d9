package io.eniroute.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.common.HttpEndpoints;
import io.eniroute.operator.reconciler.PolicyReconciler;
import io.eniroute.operator.reconciler.RolloutMetrics;
import io.eniroute.operator.testing.RecordedEvents;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The operator's probes and metrics as OperatorMain wires them (the server itself: common's HttpEndpointsTest). */
class OperatorEndpointsTest {
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readyzSays503AndWhyUntilTheOperatorStartedAndMetricsShowReconciles() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RolloutMetrics rollout = new RolloutMetrics(registry);
    rollout.reconciled("workers", Duration.ofMillis(12), "ok");
    try (KubernetesClient client = new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build()).build();
        OperatorRuntime runtime = new OperatorRuntime(client,
            new PolicyReconciler(Clock.systemUTC(), Optional.empty(), new RecordedEvents(), rollout),
            OperatorRuntime.Options.forTests());
        HttpEndpoints endpoints = new HttpEndpoints("127.0.0.1", 0, 0, runtime, registry::scrape)) {
      int port = endpoints.healthPort();
      assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(port, "/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("has not started");
      HttpResponse<String> metrics = get(endpoints.metricsPort(), "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("eniroute_reconcile_seconds_count{policy=\"workers\",result=\"ok\"} 1");
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
