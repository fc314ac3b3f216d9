package io.eniroute.agent.imds;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImdsDiscoveryTest {
  private static final String M0 = "02:aa:00:00:00:01";
  private static final String M1 = "02:aa:00:00:00:02";
  private static final String M2 = "02:aa:00:00:00:03";
  private static final ImdsDiscovery.Retry FAST =
      new ImdsDiscovery.Retry(Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(100));

  private FakeImds imds;

  @BeforeEach
  void start() throws Exception {
    imds = new FakeImds().instance("i-0123456789abcdef0", "eu-west-1", M0)
        .eni(M0, "eni-0000000000000000a", 0, null, "10.0.0.0/24", "10.0.0.10", "10.0.0.11")
        .eni(M1, "eni-0000000000000000b", 1, null, "10.0.0.0/24", "10.0.0.20")
        .eni(M2, "eni-0000000000000000c", 2, 1, "10.0.0.0/24", "10.0.0.30");
  }

  @AfterEach
  void stop() {
    imds.close();
  }

  private Discovery discover(ImdsDiscovery.Retry settings) {
    try (MetadataSource src = new SdkMetadataSource(imds.endpoint(), Duration.ofSeconds(2), 2)) {
      return new ImdsDiscovery(src, settings).discover();
    }
  }

  @Test
  void readsEveryInterfaceOfTheMacsTreeWithTheSessionToken() {
    Discovery d = discover(FAST);

    assertThat(d.problem()).isNull();
    assertThat(d.instanceId()).isEqualTo("i-0123456789abcdef0");
    assertThat(d.region()).isEqualTo("eu-west-1");
    assertThat(d.primaryMac()).isEqualTo(M0);
    assertThat(d.notReady()).isEmpty();
    Map<String, ImdsInterface> byMac = d.interfaces().stream()
        .collect(Collectors.toMap(ImdsInterface::mac, Function.identity()));
    assertThat(byMac).containsOnlyKeys(M0, M1, M2);
    assertThat(byMac.get(M0)).isEqualTo(new ImdsInterface(M0, "eni-0000000000000000a", 0, 0,
        java.util.List.of("10.0.0.10", "10.0.0.11"), "10.0.0.0/24"));
    // network-card absent (single-card type) means card 0; present means its value.
    assertThat(byMac.get(M1).networkCard()).isZero();
    assertThat(byMac.get(M1).deviceIndex()).isEqualTo(1);
    assertThat(byMac.get(M2).networkCard()).isEqualTo(1);
    assertThat(byMac.get(M2).deviceIndex()).isEqualTo(2);
    // IMDSv2: a token was fetched and no read went without it.
    assertThat(imds.tokenPuts.get()).isPositive();
    assertThat(imds.unauthorized.get()).isZero();
  }

  @Test
  void theFakeRejectsReadsWithoutAValidToken() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(imds.endpoint().resolve("/latest/meta-data/instance-id"))
        .header("X-aws-ec2-metadata-token", "forged").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void aHotPluggedEniAtDeviceNumberZeroIsReadAgainUntilImdsCatchesUp() {
    imds.zeroFor(M2, 3);

    Discovery d = discover(FAST);

    assertThat(d.notReady()).isEmpty();
    assertThat(d.interfaces()).filteredOn(i -> i.mac().equals(M2)).singleElement()
        .satisfies(i -> assertThat(i.deviceIndex()).isEqualTo(2));
    assertThat(imds.deviceReads(M2)).isEqualTo(4);
  }

  @Test
  void aNonPrimaryEniStuckAtZeroIsReportedNotReadyInsteadOfNumberedZero() {
    imds.zeroFor(M1, Integer.MAX_VALUE);
    ImdsDiscovery.Retry bounded = new ImdsDiscovery.Retry(Duration.ofMillis(400), Duration.ofMillis(20), Duration.ofMillis(100));

    long t0 = System.nanoTime();
    Discovery d = discover(bounded);
    long millis = (System.nanoTime() - t0) / 1_000_000;

    assertThat(d.notReady()).containsExactly(M1);
    assertThat(d.interfaces()).extracting(ImdsInterface::mac).containsExactlyInAnyOrder(M0, M2);
    assertThat(imds.deviceReads(M1)).isGreaterThan(2);
    assertThat(millis).as("bounded wait").isLessThan(5_000);
  }

  @Test
  void theSdkRetriesAServerThatIsNotThereAndDiscoveryFallsBackToTheKernel() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (MetadataSource src = new SdkMetadataSource(URI.create("http://127.0.0.1:" + closedPort), Duration.ofMillis(500), 1)) {
      Discovery d = new ImdsDiscovery(src, FAST).discover();
      assertThat(d.onAws()).isFalse();
      assertThat(d.interfaces()).isEmpty();
      assertThat(d.problem()).contains("IMDS");
    }
  }
}
