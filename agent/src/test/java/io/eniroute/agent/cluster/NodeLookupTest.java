package io.eniroute.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.RealApiServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The agent's one GET of its own Node, on the real API server as the chart's agent identity. */
@ExtendWith(RealApiServer.class)
class NodeLookupTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void readsTheInstanceAndRegionFromItsOwnNode(ControlPlane plane) {
    try (ClusterApi api = new ClusterApi(plane); KubernetesClient agent = api.agentClient("node-a")) {
      for (String[] n : new String[][] {{"node-a", "aws:///eu-west-1b/i-0aaa"}, {"node-b", "aws:///eu-west-1c/i-0bbb"}}) {
        api.client.nodes().resource(new NodeBuilder().withNewMetadata().withName(n[0]).endMetadata()
            .withNewSpec().withProviderID(n[1]).endSpec().build()).create();
      }

      NodeLookup lookup = new NodeLookup(agent, "node-a", WAIT).start();

      assertThat(lookup.identity()).contains(new NodeIdentity("i-0aaa", "eu-west-1b", "eu-west-1"));
      assertThat(lookup.instanceId()).contains("i-0aaa");
    }
  }

  @Test
  void noNodeOrOneOffEc2GivesNoIdentity(ControlPlane plane) {
    try (ClusterApi api = new ClusterApi(plane); KubernetesClient agent = api.agentClient("node-a")) {
      api.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("kind-worker").endMetadata()
          .withNewSpec().withProviderID("kind://docker/kind/kind-worker").endSpec().build()).create();

      assertThat(new NodeLookup(agent, "node-a", WAIT).start().identity()).isEmpty();
      assertThat(new NodeLookup(agent, "kind-worker", WAIT).start().identity()).isEmpty();
    }
  }

  @Test
  void aForbiddenGetGivesNoIdentityAndTheAgentGoesOn(ControlPlane plane) {
    try (ClusterApi api = new ClusterApi(plane); KubernetesClient stranger = api.strangerClient()) {
      api.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-a").endMetadata()
          .withNewSpec().withProviderID("aws:///eu-west-1b/i-0aaa").endSpec().build()).create();
      int before = api.plane.audit().orElseThrow().callsBy("stranger").size();

      NodeLookup lookup = new NodeLookup(stranger, "node-a", WAIT).start();

      assertThat(lookup.identity()).isEmpty();
      var calls = api.plane.audit().orElseThrow().callsBy("stranger");
      assertThat(calls.subList(before, calls.size())).as("one GET, refused by RBAC, not retried")
          .singleElement().satisfies(c -> assertThat(c.code()).isEqualTo(403));
    }
  }

  @Test
  void onlyTheFirstCallWaitsForAnApiServerThatDoesNotAnswer() throws Exception {
    // A socket that takes connections (backlog) and never answers: a hung API server.
    try (java.net.ServerSocket hung = new java.net.ServerSocket(0);
        KubernetesClient client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
            new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:" + hung.getLocalPort()).build())
            .build()) {
      NodeLookup lookup = new NodeLookup(client, "node-a", Duration.ofMillis(300)).start();
      long t0 = System.nanoTime();
      Optional<NodeIdentity> first = lookup.identity();
      long t1 = System.nanoTime();
      Optional<NodeIdentity> second = lookup.identity();
      long t2 = System.nanoTime();

      assertThat(first).isEmpty();
      assertThat(second).isEmpty();
      assertThat((t1 - t0) / 1_000_000).as("the first call waits for the answer, up to firstWait").isBetween(250L, 5_000L);
      assertThat((t2 - t1) / 1_000_000).as("later calls never wait").isLessThan(100L);
    }
  }
}
