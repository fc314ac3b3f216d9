package io.eniroute.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Scrapes the endpoints over HTTP, as Prometheus and the kubelet do. */
class HttpEndpointsTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicReference<String> notLive = new AtomicReference<>();
  private final AtomicReference<String> notReady = new AtomicReference<>();
  private final Probes probes = new Probes() {
    @Override
    public String notLiveReason() {
      return notLive.get();
    }

    @Override
    public String notReadyReason() {
      return notReady.get();
    }
  };

  private HttpResponse<String> send(int port, String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probesAnswer503WithTheReasonAndRecoverTo200() throws Exception {
    try (HttpEndpoints e = new HttpEndpoints("127.0.0.1", 0, 0, probes, () -> "m 1\n")) {
      int port = e.healthPort();
      assertThat(send(port, "GET", "/healthz").statusCode()).isEqualTo(200);
      notReady.set("the informers have not synced");
      HttpResponse<String> r = send(port, "GET", "/readyz");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("the informers have not synced\n");
      notLive.set("the reconcile loop is not running");
      assertThat(send(port, "GET", "/healthz").body()).isEqualTo("the reconcile loop is not running\n");
      notLive.set(null);
      notReady.set(null);
      assertThat(send(port, "GET", "/healthz").statusCode()).isEqualTo(200);
      assertThat(send(port, "GET", "/readyz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void headRequestsGetTheStatusWithoutABody() throws Exception {
    notReady.set("not yet");
    try (HttpEndpoints e = new HttpEndpoints("127.0.0.1", 0, 0, probes, () -> "m 1\n")) {
      HttpResponse<String> r = send(e.healthPort(), "HEAD", "/readyz");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEmpty();
    }
  }

  @Test
  void separatePortsServeProbesAndMetricsApart() throws Exception {
    int hp;
    int mp;
    try (var s1 = new ServerSocket(0); var s2 = new ServerSocket(0)) {
      hp = s1.getLocalPort();
      mp = s2.getLocalPort();
    }
    try (HttpEndpoints e = new HttpEndpoints("127.0.0.1", hp, mp, probes, () -> "eniroute_up 1\n")) {
      assertThat(send(hp, "GET", "/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = send(mp, "GET", "/metrics");
      assertThat(metrics.body()).isEqualTo("eniroute_up 1\n");
      assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(send(hp, "GET", "/metrics").statusCode()).isEqualTo(404);
      assertThat(send(mp, "GET", "/healthz").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aPortInUseIsRefusedNamingTheAddressAndTheOptionsToChange() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> new HttpEndpoints("127.0.0.1", taken.getLocalPort(), 0, probes, () -> ""))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("--health-port/--metrics-port");
    }
  }
}
