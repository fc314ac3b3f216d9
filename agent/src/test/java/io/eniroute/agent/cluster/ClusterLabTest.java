package io.eniroute.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.agent.drift.KernelMonitor;
import io.eniroute.agent.drift.ReconcileLoop;
import io.eniroute.agent.imds.ImdsHints;
import io.eniroute.agent.observability.AgentMetrics;
import io.eniroute.agent.safety.SafeNodeRouting;
import io.eniroute.crds.v1alpha1.AgentResult;
import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.InterfaceStatus;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigStatus;
import io.eniroute.lab.Lab;
import io.eniroute.lab.LabExtension;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.RealApiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cluster agent on the real kernel: a mock API server (CRUD) holds the node's
 * NodeNetworkConfig, the agent runs in-process against a lab node's namespace (what --netns
 * does) with the real engine, probes, journal and kernel monitor, and the status it writes is
 * checked together with traffic from the lab's client.
 */
@ExtendWith({LabExtension.class, RealApiServer.class})
class ClusterLabTest {
  private static final List<String> ADDRESSES = List.of("10.0.0.128", "10.0.0.129", "10.0.0.130", "10.0.0.131");
  private static final Duration WAIT = Duration.ofSeconds(40);
  @TempDir Path stateDir;

  @Test
  void appliesFollowsChangesRollsBackABrokenConfigAndRevertsOnAbsent(Lab lab, ControlPlane plane) {
    try (ClusterApi api = new ClusterApi(plane)) {
      String node = "lab-node";
      String netns = lab.addNode("c");
      String mac0 = lab.macFor(0);
      String mac1 = lab.macFor(1);
      lab.attachEni("c", "eth0", mac0);
      lab.attachEni("c", "eth1", mac1);
      lab.assignAddresses("c", mac0, ADDRESSES.subList(0, 2));
      lab.assignAddresses("c", mac1, ADDRESSES.subList(2, 4));
      lab.configureNaive("c");
      String naive = dump(lab, "c");
      assertThat(silent(lab)).as("the naive setup fails for eth1's addresses").isNotEmpty();

      NodeNetworkConfig c = new NodeNetworkConfig();
      c.setMetadata(new ObjectMetaBuilder().withName(node).build());
      c.setSpec(spec(1));
      api.client.resources(NodeNetworkConfig.class).resource(c).create();

      SafeNodeRouting routing = SafeNodeRouting.forTarget(netns, stateDir, Optional.empty());
      var client = api.agentClient(node);
      try (ClusterAgent agent = new ClusterAgent(client, node, routing, routing::committedSpec, ImdsHints.disabled(),
          new NodeLookup(client, node, Duration.ofSeconds(1)), new KernelMonitor(netns), ReconcileLoop.Timing.defaults(),
          new AgentMetrics(Clock.systemUTC()), Clock.systemUTC()).start()) {

        // 1. Applied, with the interfaces and counts the kernel really has.
        NodeNetworkConfigStatus s = await(api, node, x -> Long.valueOf(1).equals(x.getAppliedPolicyGeneration()));
        assertThat(s.getResult()).isEqualTo(AgentResult.APPLIED);
        assertThat(cond(s, Api.APPLIED).getStatus()).isEqualTo("True");
        assertThat(s.getInterfaces()).filteredOn(i -> Boolean.TRUE.equals(i.getManaged()))
            .extracting(InterfaceStatus::getName).containsExactlyInAnyOrder("eth0", "eth1");
        assertThat(s.getOwnedRules()).isEqualTo(4).isEqualTo(count(lab, "c", "rule"));
        assertThat(s.getOwnedRoutes()).isEqualTo(count(lab, "c", "route"));
        assertThat(s.getLastApply().getKernelWrites()).isPositive();
        assertThat(silent(lab)).as("every address answers the client").isEmpty();
        long gen1 = s.getObservedGeneration();

        // 2. A new address for eth1: the status follows the new generation.
        lab.assignAddress("c", mac1, "10.0.0.132");
        NodeNetworkConfig v2 = edit(api, node, sp -> {
          sp.setPolicyGeneration(2L);
          sp.setAddresses(new ArrayList<>(List.of(new InterfaceAddresses(mac1, List.of("10.0.0.132")))));
        });
        s = await(api, node, x -> Long.valueOf(2).equals(x.getAppliedPolicyGeneration())
            && v2.getMetadata().getGeneration().equals(x.getObservedGeneration()));
        assertThat(v2.getMetadata().getGeneration()).isGreaterThan(gen1);
        assertThat(s.getOwnedRules()).isEqualTo(5);
        assertThat(lab.pingFromClient("10.0.0.132", 1, Duration.ofSeconds(3))).isTrue();

        // 3. A broken config (wrong gateway): rolled back, the failing probe named, the node still fine.
        NodeNetworkConfig v3 = edit(api, node, sp -> {
          sp.setPolicyGeneration(3L);
          sp.getRouting().setGateway("10.0.0.254");
        });
        s = await(api, node, x -> x.getResult() == AgentResult.ROLLED_BACK && v3.getMetadata().getGeneration().equals(x.getObservedGeneration()));
        Condition rb = cond(s, Api.ROLLED_BACK);
        assertThat(rb.getStatus()).isEqualTo("True");
        assertThat(rb.getReason()).isEqualTo("ProbeFailed");
        assertThat(rb.getMessage()).contains("gateway 10.0.0.254 from 10.0.0.1");
        // The failing probes are named (gateway:<interface>:<source address>) and say why.
        assertThat(s.getProbes()).anySatisfy(p -> {
          assertThat(p.getName()).matches("gateway:eth[01]:10\\.0\\.0\\.1(28|29|30|31)");
          assertThat(p.getPassed()).isFalse();
          assertThat(p.getPassedBefore()).isTrue();
          assertThat(p.getMessage()).contains("10.0.0.254");
        });
        assertThat(s.getAppliedPolicyGeneration()).as("still on generation 2").isEqualTo(2L);
        assertThat(silent(lab)).isEmpty();

        // 3b. A retry (the operator copies the policy's eniroute.io/retry value into spec.retryToken):
        // the agent tries the once rolled-back spec again for real (writes, probes), instead of
        // repeating its old verdict; still broken, so rolled back again, the node still fine.
        String firstRollback = s.getLastApply().getTime();
        NodeNetworkConfig retry = edit(api, node, sp -> sp.setRetryToken("try-2"));
        s = await(api, node, x -> x.getResult() == AgentResult.ROLLED_BACK
            && retry.getMetadata().getGeneration().equals(x.getObservedGeneration()));
        // lastApply records a pass that wrote to the kernel; a repeated verdict writes nothing and keeps it.
        assertThat(Instant.parse(s.getLastApply().getTime())).as("a new apply and rollback, not the repeated verdict")
            .isAfter(Instant.parse(firstRollback));
        assertThat(s.getLastApply().getKernelWrites()).as("the retry wrote to the kernel, then undid it").isPositive();
        assertThat(cond(s, Api.STALLED).getStatus()).isEqualTo("True");
        assertThat(s.getAppliedPolicyGeneration()).isEqualTo(2L);
        assertThat(silent(lab)).isEmpty();

        // 4. state absent: everything reverted, reported, and the kernel is as before eniroute.
        NodeNetworkConfig v4 = edit(api, node, sp -> sp.setState(ConfigState.ABSENT));
        s = await(api, node, x -> x.getResult() == AgentResult.REVERTED && v4.getMetadata().getGeneration().equals(x.getObservedGeneration()));
        assertThat(s.getOwnedRules()).isZero();
        assertThat(count(lab, "c", "rule")).isZero();
        assertThat(count(lab, "c", "route")).isZero();
        assertThat(dump(lab, "c").replace("10.0.0.132", "")).isEqualTo(naive.replace("10.0.0.132", ""));
      }
    }
  }

  private static NodeNetworkConfigSpec spec(long policyGeneration) {
    NodeNetworkConfigSpec s = new NodeNetworkConfigSpec();
    s.setPolicy("lab");
    s.setPolicyGeneration(policyGeneration);
    s.getSafety().setProbeTimeoutSeconds(2);
    return s;
  }

  private static NodeNetworkConfig edit(ClusterApi api, String node, Consumer<NodeNetworkConfigSpec> change) {
    return api.client.resources(NodeNetworkConfig.class).withName(node).edit(c -> {
      change.accept(c.getSpec());
      return c;
    });
  }

  private static NodeNetworkConfigStatus await(ClusterApi api, String node, Predicate<NodeNetworkConfigStatus> until) {
    return org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
        .until(() -> api.get(node).getStatus(), s -> s != null && until.test(s));
  }

  private static Condition cond(NodeNetworkConfigStatus s, String type) {
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private static List<String> silent(Lab lab) {
    return ADDRESSES.stream().filter(a -> !lab.pingFromClient(a, 1, Duration.ofSeconds(2))).toList();
  }

  /** eniroute's rules or routes (protocol 228) in the node. */
  private static int count(Lab lab, String node, String what) {
    String out = "rule".equals(what) ? lab.exec(node, "ip", "-4", "rule", "show")
        : lab.exec(node, "ip", "-4", "route", "show", "table", "all");
    return (int) out.lines().filter(l -> l.contains("proto 228")).count();
  }

  private static String dump(Lab lab, String node) {
    List<String> lines = new ArrayList<>();
    lines.addAll(Arrays.asList(lab.exec(node, "ip", "-4", "rule", "show").split("\n")));
    lines.addAll(Arrays.stream(lab.exec(node, "ip", "-4", "route", "show", "table", "all").split("\n"))
        .filter(l -> !l.contains("table local")).toList());
    return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).sorted().collect(Collectors.joining("\n"));
  }
}
