package io.eniroute.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.operator.reconciler.RolloutMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void healthReadinessAndMetricsAnswerOnTheirPorts() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new RolloutMetrics(registry).reconciled("workers", Duration.ofMillis(12), "ok");
    AtomicBoolean ready = new AtomicBoolean(false);
    try (HttpEndpoints endpoints = new HttpEndpoints(0, 0, ready::get, registry)) {
      int port = endpoints.healthPort();
      assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(port, "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
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
