package io.eniroute.agent.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.routing.ApplyReport.Outcome;
import io.eniroute.common.HttpEndpoints;
import io.eniroute.crds.v1alpha1.ProbeResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Scrapes the endpoints over HTTP, as Prometheus and the kubelet do. */
class MetricsEndpointTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T05:00:00Z"), ZoneOffset.UTC);
  private final HttpClient http = HttpClient.newHttpClient();

  private static ApplyReport report(Outcome o, int writes, long millis, List<ProbeResult> probes) {
    return new ApplyReport(o, writes, millis, List.of(), 4, 2, probes, "R", "m");
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    assertThat(m.find()).as("series %s in%n%s", series, scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void metricsShowAppliesDriftRepairsRollbacksAndProbeFailures() throws Exception {
    AgentMetrics metrics = new AgentMetrics(CLOCK);
    Health health = new Health(() -> true, () -> true);
    try (HttpEndpoints http = new HttpEndpoints("127.0.0.1", 0, 0, health, metrics::scrape)) {
      ProbeResult ok = new ProbeResult("gateway:eth1:10.0.0.20", true, true, "ok", 3L);
      ProbeResult bad = new ProbeResult("gateway:eth1:10.0.0.21", false, true, "no ARP reply from 10.0.0.1", 10000L);
      metrics.record(report(Outcome.APPLIED, 12, 40, List.of(ok)), true);   // first apply
      metrics.record(report(Outcome.NO_CHANGE, 0, 5, List.of()), false);    // resync
      metrics.record(report(Outcome.APPLIED, 3, 20, List.of()), false);     // drift healed
      ProbeResult ok2 = new ProbeResult("gateway:eth1:10.0.0.20", true, true, "ok", 2L);
      ApplyReport rolledBack = report(Outcome.ROLLED_BACK, 8, 10_100, List.of(ok2, bad));
      metrics.record(rolledBack, true);
      metrics.record(rolledBack, false); // the same verdict repeated on resync: not a new rollback

      HttpResponse<String> r = get(http.metricsPort(), "/metrics");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      String s = r.body();
      assertThat(value(s, "eniroute_kernel_writes_total")).isEqualTo(12 + 3 + 8 + 8);
      assertThat(value(s, "eniroute_drift_repairs_total")).isEqualTo(1);
      assertThat(value(s, "eniroute_rollbacks_total")).isEqualTo(1);
      assertThat(value(s, "eniroute_probe_failures_total")).isEqualTo(1);
      assertThat(value(s, "eniroute_last_successful_apply_timestamp_seconds")).isEqualTo(CLOCK.millis() / 1000.0);
      assertThat(value(s, "eniroute_apply_duration_seconds_count{outcome=\"applied\"}")).isEqualTo(2);
      assertThat(value(s, "eniroute_apply_duration_seconds_count{outcome=\"rolled_back\"}")).isEqualTo(2);
      assertThat(value(s, "eniroute_apply_duration_seconds_bucket{outcome=\"applied\",le=\"0.03\"}")).isEqualTo(1);
      assertThat(value(s, "eniroute_apply_duration_seconds_bucket{outcome=\"applied\",le=\"0.1\"}")).isEqualTo(2);
    }
  }

  @Test
  void lastSuccessfulApplyIsZeroUntilAPassSucceeds() throws Exception {
    AgentMetrics metrics = new AgentMetrics(CLOCK);
    metrics.record(report(Outcome.FAILED, 0, 3, List.of()), true);
    assertThat(value(metrics.scrape(), "eniroute_last_successful_apply_timestamp_seconds")).isZero();
  }

  @Test
  void readyOnlyAfterTheConfigWasReadAndAppliedAndNotAfterRepeatedFailures() throws Exception {
    AtomicBoolean loopAlive = new AtomicBoolean(true);
    AtomicBoolean monitorAlive = new AtomicBoolean(true);
    Health health = new Health(loopAlive::get, monitorAlive::get);
    try (HttpEndpoints http = new HttpEndpoints("127.0.0.1", 0, 0, health, new AgentMetrics(CLOCK)::scrape)) {
      int port = http.healthPort();
      assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(port, "/readyz").statusCode()).isEqualTo(503);
      assertThat(get(port, "/readyz").body()).contains("not been read");

      health.configSynced(true);
      assertThat(get(port, "/readyz").body()).contains("first reconcile");
      health.report(report(Outcome.APPLIED, 5, 10, List.of()));
      assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);

      health.report(report(Outcome.ROLLED_BACK, 5, 10, List.of()));
      assertThat(get(port, "/readyz").statusCode()).as("a rollback left the node on a good config").isEqualTo(200);
      for (int i = 0; i < 3; i++) {
        health.report(new ApplyReport(Outcome.FAILED, 0, 1, List.of(), 0, 0, List.of(), "KernelError", "RTNETLINK answers: File exists"));
      }
      HttpResponse<String> notReady = get(port, "/readyz");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).contains("KernelError").contains("File exists");

      loopAlive.set(false);
      HttpResponse<String> dead = get(port, "/healthz");
      assertThat(dead.statusCode()).isEqualTo(503);
      assertThat(dead.body()).contains("reconcile loop is not running");
    }
  }

  @Test
  void notLiveWhenTheKernelMonitorThreadDied() throws Exception {
    AtomicBoolean monitorAlive = new AtomicBoolean(true);
    Health health = new Health(() -> true, monitorAlive::get);
    health.configSynced(false);
    try (HttpEndpoints http = new HttpEndpoints("127.0.0.1", 0, 0, health, new AgentMetrics(CLOCK)::scrape)) {
      int port = http.healthPort();
      assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
      monitorAlive.set(false);
      HttpResponse<String> dead = get(port, "/healthz");
      assertThat(dead.statusCode()).isEqualTo(503);
      assertThat(dead.body()).as("healthz names the thread that died").contains("kernel monitor");
      assertThat(get(port, "/readyz").body()).contains("kernel monitor");
    }
  }
}
