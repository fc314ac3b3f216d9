package io.eniroute.agent.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eniroute.agent.LabPerClass;
import io.eniroute.agent.routing.ApplyReport;
import io.eniroute.agent.safety.SafeNodeRouting;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.lab.NetworkdActor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd-networkd without ManageForeignRoutingPolicyRules=no / ManageForeignRoutes=no
 * ({@link NetworkdActor}) deletes eniroute's rules and tables whenever it reconfigures; the drift
 * loop puts them back and every address answers again. docs/troubleshooting.md gives the drop-in
 * that ends the fight.
 */
class NetworkdCoTenantLabTest extends LabPerClass {
  @TempDir Path stateDir;

  @Test
  void everyRuleAndRouteNetworkdDeletesOnReconfigureIsHealedByTheDriftLoop() {
    String node = "nwd";
    String ns = lab.addNode(node);
    lab.attachEni(node, "eth0", lab.macFor(0));
    lab.attachEni(node, "eth1", lab.macFor(1));
    lab.assignAddresses(node, lab.macFor(0), List.of("10.0.0.70", "10.0.0.71"));
    lab.assignAddresses(node, lab.macFor(1), List.of("10.0.0.80", "10.0.0.81"));
    lab.configureNaive(node);
    NetworkdActor networkd = new NetworkdActor(lab, node);
    NodeNetworkConfigSpec spec = new NodeNetworkConfigSpec();
    spec.getSafety().setProbeTimeoutSeconds(2);
    List<ApplyReport> reports = new CopyOnWriteArrayList<>();
    SafeNodeRouting routing = SafeNodeRouting.forTarget(ns, stateDir, Optional.empty());
    try (ReconcileLoop loop = new ReconcileLoop(routing, () -> Optional.of(spec), reports::add, new KernelMonitor(ns),
        ReconcileLoop.Timing.defaults().withResync(Duration.ofMinutes(10))).start()) {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ours()).isEqualTo(expected()));
      String deleted = networkd.reconfigure();
      assertThat(deleted).as("networkd deleted rules and routes").doesNotStartWith("0 ");
      long t0 = System.nanoTime();

      await().atMost(DriftLabTest.BOUND).untilAsserted(() -> assertThat(ours()).isEqualTo(expected()));

      System.out.printf("networkd reconfigure deleted %s (rules routes); healed in %d ms%n", deleted,
          (System.nanoTime() - t0) / 1_000_000);
      for (String a : List.of("10.0.0.70", "10.0.0.71", "10.0.0.80", "10.0.0.81")) {
        assertThat(lab.pingFromClient(a, 1, Duration.ofSeconds(2))).as("%s answers after healing", a).isTrue();
      }
    }
  }

  private static List<String> expected() {
    return List.of("from 10.0.0.70 lookup 10000", "from 10.0.0.71 lookup 10000", "from 10.0.0.80 lookup 10001",
        "from 10.0.0.81 lookup 10001", "table 10000 routes 2", "table 10001 routes 2");
  }

  private static List<String> ours() {
    List<String> out = new ArrayList<>();
    for (String line : lab.exec("nwd", "ip", "-4", "rule", "show", "proto", "228").split("\n")) {
      if (line.contains("from ") && line.contains(" proto 228")) {
        out.add(line.substring(line.indexOf("from ")).replace(" proto 228", "").strip());
      }
    }
    out.sort(null);
    List<String> routes = lab.exec("nwd", "ip", "-4", "route", "show", "table", "all").lines().toList();
    for (String t : List.of("10000", "10001")) {
      out.add("table " + t + " routes " + routes.stream().filter(l -> l.contains(" table " + t + " ")).count());
    }
    return out;
  }
}
