package io.eniroute.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every flag of the agent and the operator is reachable through a chart value (real helm
 * template of values-every-flag.yaml), and the agent's endpoints never listen on the wildcard
 * by default: the node may carry public Elastic IPs.
 */
@ExtendWith(RenderedCharts.class)
class ComponentFlagsTest {
  private final RenderedCharts.Charts charts;

  ComponentFlagsTest(RenderedCharts.Charts charts) {
    this.charts = charts;
  }

  @Test
  void byDefaultTheAgentListensOnTheNodesOwnIpFromTheDownwardApi() {
    Container agent = agent(ValueSet.DEFAULTS);
    assertThat(agent.getArgs()).noneMatch(a -> a.startsWith("--bind-address"));
    EnvVar hostIp = env(agent, "HOST_IP").orElseThrow(() -> new AssertionError("no HOST_IP env"));
    assertThat(hostIp.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.hostIP");
    // the kubelet probes the pod IP, which for a host-network pod is that same host IP
    assertThat(probes(agent)).allSatisfy(p -> assertThat(p.getHttpGet().getHost()).isNull());
  }

  @Test
  void noValueSetMakesTheAgentListenOnTheWildcard() {
    for (ValueSet v : ValueSet.values()) {
      assertThat(agent(v).getArgs()).as("agent args with %s", v).doesNotContain("--bind-address=0.0.0.0");
    }
  }

  @Test
  void aLoopbackBindAddressReachesTheAgentAndItsProbes() {
    Container agent = agent(ValueSet.EVERY_FLAG);
    assertThat(agent.getArgs()).contains("--bind-address=127.0.0.1");
    assertThat(probes(agent)).hasSize(3).allSatisfy(p -> assertThat(p.getHttpGet().getHost()).isEqualTo("127.0.0.1"));
  }

  @Test
  void agentResyncImdsAndLogLevelValuesBecomeFlags() {
    Container agent = agent(ValueSet.EVERY_FLAG);
    assertThat(agent.getArgs()).contains("--resync=5m", "--imds=false", "--imds-endpoint=http://169.254.169.254:8080");
    assertThat(env(agent, "JAVA_TOOL_OPTIONS").orElseThrow().getValue())
        .endsWith(" -Dorg.slf4j.simpleLogger.log.io.eniroute=trace")
        .startsWith("-XX:+UseSerialGC");
    assertThat(env(agent(ValueSet.DEFAULTS), "JAVA_TOOL_OPTIONS").orElseThrow().getValue())
        .endsWith(" -Dorg.slf4j.simpleLogger.log.io.eniroute=info");
  }

  @Test
  void operatorEventNamespaceLeaseSsaEndpointAndLogLevelValuesBecomeFlags() {
    Container op = charts.of(ValueSet.EVERY_FLAG).operator().getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(op.getArgs()).containsExactly("--health-port=8081", "--metrics-port=8080", "--no-leader-election",
        "--event-namespace=eniroute-events", "--no-server-side-apply", "--aws", "--region=eu-west-1",
        "--ec2-endpoint=https://vpce-0123-ec2.eu-west-1.vpce.amazonaws.com");
    assertThat(env(op, "JAVA_TOOL_OPTIONS").orElseThrow().getValue()).endsWith(" -Dorg.slf4j.simpleLogger.log.io.eniroute=debug");
  }

  private Container agent(ValueSet v) {
    return charts.of(v).agent().getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static List<Probe> probes(Container c) {
    return List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe());
  }

  private static Optional<EnvVar> env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
  }
}
