package io.eniroute.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.agent.drift.KernelMonitor;
import io.eniroute.agent.drift.ReconcileLoop;
import io.eniroute.agent.imds.FakeImds;
import io.eniroute.agent.imds.ImdsDiscovery;
import io.eniroute.agent.imds.ImdsHints;
import io.eniroute.agent.imds.SdkMetadataSource;
import io.eniroute.agent.observability.AgentMetrics;
import io.eniroute.agent.safety.SafeNodeRouting;
import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigStatus;
import io.eniroute.lab.Lab;
import io.eniroute.lab.LabExtension;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.RealApiServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMDS down when the agent starts, then back, on the real kernel (issue 15 item 5): the agent
 * routes with the kernel's order while IMDS is down; once IMDS answers (with other device
 * indexes) it keeps the tables of the live interfaces, so traffic on every address never stops,
 * and an interface attached afterwards is numbered by IMDS. The IMDS is an IMDSv2 stand-in on a
 * loopback port that is closed (connection refused) at start and served again later, read
 * through the same SDK client and discovery as in production.
 */
@ExtendWith({LabExtension.class, RealApiServer.class})
class ImdsRecoveryLabTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> LIVE = List.of("10.0.0.128", "10.0.0.129", "10.0.0.130", "10.0.0.131");
  private static final String HOT_PLUGGED = "10.0.0.140";
  private static final Pattern MAC = Pattern.compile("link/ether ([0-9a-f:]{17})");
  @TempDir Path stateDir;

  @Test
  void imdsBackAfterAStartWithoutItKeepsLiveTablesAndTrafficAndNumbersANewInterfaceByImds(Lab lab, ControlPlane plane)
      throws Exception {
    String node = "lab-node";
    String netns = lab.addNode("c");
    String mac0 = lab.macFor(0);
    String mac1 = lab.macFor(1);
    String mac2 = lab.macFor(2);
    lab.attachEni("c", "eth0", mac0);
    lab.attachEni("c", "eth1", mac1);
    lab.assignAddresses("c", mac0, LIVE.subList(0, 2));
    lab.assignAddresses("c", mac1, LIVE.subList(2, 4));
    lab.configureNaive("c");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: IMDS is down (connection refused) until served on it
    }
    String instance = "i-0lab" + Integer.toHexString(port);

    try (ClusterApi api = new ClusterApi(plane)) {
      NodeNetworkConfig c = new NodeNetworkConfig();
      c.setMetadata(new ObjectMetaBuilder().withName(node).build());
      NodeNetworkConfigSpec spec = new NodeNetworkConfigSpec();
      spec.setPolicy("lab");
      spec.setPolicyGeneration(1L);
      spec.getSafety().setProbeTimeoutSeconds(2);
      c.setSpec(spec);
      api.client.resources(NodeNetworkConfig.class).resource(c).create();

      SafeNodeRouting routing = SafeNodeRouting.forTarget(netns, stateDir, Optional.empty());
      var client = api.agentClient(node);
      SdkMetadataSource source = new SdkMetadataSource(URI.create("http://127.0.0.1:" + port),
          Duration.ofMillis(500), 1);
      ImdsDiscovery discovery = new ImdsDiscovery(source, new ImdsDiscovery.Retry(Duration.ofSeconds(2),
          Duration.ofMillis(100), Duration.ofMillis(500)));
      ImdsHints hints = new ImdsHints(discovery::discover, Duration.ofMillis(200), System::nanoTime,
          () -> kernelMacs(lab), Optional::empty);
      try (source; ClusterAgent agent = new ClusterAgent(client, node, routing, routing::committedSpec, hints,
          new NodeLookup(client, node, Duration.ofSeconds(1)), new KernelMonitor(netns),
          ReconcileLoop.Timing.defaults().withResync(Duration.ofMillis(500)), new AgentMetrics(Clock.systemUTC()),
          Clock.systemUTC()).start()) {

        // 1. IMDS down: applied with the kernel's order (eth0 -> 10000, eth1 -> 10001), every address answers.
        NodeNetworkConfigStatus s = await(api, node, x -> Long.valueOf(1).equals(x.getAppliedPolicyGeneration()));
        assertThat(tables(s)).containsEntry("eth0", 10000L).containsEntry("eth1", 10001L);
        assertThat(message(s)).as("no IMDS: no instance named").doesNotContain(instance);
        assertThat(silent(lab, LIVE)).as("every address answers the client").isEmpty();

        try (TrafficWatch watch = new TrafficWatch(lab, LIVE)) {
          // 2. IMDS comes back, numbering eth1 as device 2 and listing eth2 (device 3) before it is attached.
          try (FakeImds imds = new FakeImds(port).instance(instance, "eu-west-1", mac0)
              .eni(mac0, "eni-a", 0, null, "10.0.0.0/24", LIVE.subList(0, 2).toArray(String[]::new))
              .eni(mac1, "eni-b", 2, null, "10.0.0.0/24", LIVE.subList(2, 4).toArray(String[]::new))
              .eni(mac2, "eni-c", 3, null, "10.0.0.0/24", HOT_PLUGGED)) {
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> imds.deviceReads(mac1) > 0);
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> watch.rounds() >= 3);

            // 3. An interface attached now (as EC2 hot-plugs it; the host's DHCP gives it its address).
            lab.attachEni("c", "eth2", mac2);
            lab.assignAddress("c", mac2, HOT_PLUGGED);
            lab.exec("c", "ip", "addr", "add", HOT_PLUGGED + "/" + Lab.PREFIX, "dev", "eth2");

            s = await(api, node, x -> tables(x).containsKey("eth2") && message(x).contains(instance));
            assertThat(tables(s)).as("IMDS numbers the new interface (device 3); the kernel's order would say 10002")
                .containsEntry("eth2", 10003L);
            assertThat(tables(s)).as("the live interfaces keep their tables although IMDS calls eth1 device 2")
                .containsEntry("eth0", 10000L).containsEntry("eth1", 10001L);
            String rules = lab.exec("c", "ip", "-4", "rule", "show");
            assertThat(rules).contains("from 10.0.0.130 lookup 10001", "from 10.0.0.131 lookup 10001",
                "from " + HOT_PLUGGED + " lookup 10003");
            assertThat(lab.pingFromClient(HOT_PLUGGED, 1, Duration.ofSeconds(3))).as("the new address answers").isTrue();
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> watch.rounds() >= 6);
          }
          assertThat(watch.lost()).as("pings lost on the live addresses while IMDS came back and eth2 was attached")
              .isEmpty();
          System.out.println("ImdsRecoveryLabTest: " + watch.rounds() + " rounds of pings to " + LIVE + ", lost: "
              + watch.lost().size());
        }
      }
    }
  }

  /** Pings every address from the client in a loop on its own thread and records every loss. */
  private static final class TrafficWatch implements AutoCloseable {
    private final ConcurrentLinkedQueue<String> lost = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger rounds = new AtomicInteger();
    private final Thread thread;

    TrafficWatch(Lab lab, List<String> addresses) {
      thread = new Thread(() -> {
        while (!stop.get()) {
          for (String a : addresses) {
            if (!lab.pingFromClient(a, 1, Duration.ofSeconds(2))) {
              lost.add(a);
            }
          }
          rounds.incrementAndGet();
        }
      }, "traffic-watch");
      thread.setDaemon(true);
      thread.start();
    }

    int rounds() {
      return rounds.get();
    }

    List<String> lost() {
      return List.copyOf(lost);
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(Duration.ofSeconds(30).toMillis());
    }
  }

  private static Set<String> kernelMacs(Lab lab) {
    Matcher m = MAC.matcher(lab.exec("c", "ip", "-o", "link", "show"));
    Set<String> out = new HashSet<>();
    while (m.find()) {
      out.add(m.group(1).toLowerCase(Locale.ROOT));
    }
    return out;
  }

  private static Map<String, Long> tables(NodeNetworkConfigStatus s) {
    return s.getInterfaces().stream().filter(i -> Boolean.TRUE.equals(i.getManaged()) && i.getTable() != null)
        .collect(Collectors.toMap(InterfaceStatus::getName, InterfaceStatus::getTable, (a, b) -> a));
  }

  private static String message(NodeNetworkConfigStatus s) {
    return s.getConditions().stream().filter(c -> Api.APPLIED.equals(c.getType())).map(c -> String.valueOf(c.getMessage()))
        .findFirst().orElse("");
  }

  private static List<String> silent(Lab lab, List<String> addresses) {
    List<String> out = new ArrayList<>();
    for (String a : addresses) {
      if (!lab.pingFromClient(a, 1, Duration.ofSeconds(2))) {
        out.add(a);
      }
    }
    return out;
  }

  private static NodeNetworkConfigStatus await(ClusterApi api, String node, Predicate<NodeNetworkConfigStatus> until) {
    return Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
        .until(() -> api.get(node).getStatus(), s -> s != null && until.test(s));
  }
}
