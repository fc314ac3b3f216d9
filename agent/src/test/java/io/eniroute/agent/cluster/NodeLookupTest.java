package io.eniroute.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The agent's one GET of its own Node, against the mock API server. */
class NodeLookupTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void readsTheInstanceAndRegionFromItsOwnNode() {
    try (MockApi api = new MockApi(); KubernetesClient agent = api.agentClient()) {
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
  void noNodeOrOneOffEc2GivesNoIdentity() {
    try (MockApi api = new MockApi(); KubernetesClient agent = api.agentClient()) {
      api.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("kind-worker").endMetadata()
          .withNewSpec().withProviderID("kind://docker/kind/kind-worker").endSpec().build()).create();

      assertThat(new NodeLookup(agent, "node-a", WAIT).start().identity()).isEmpty();
      assertThat(new NodeLookup(agent, "kind-worker", WAIT).start().identity()).isEmpty();
    }
  }

  @Test
  void aForbiddenGetGivesNoIdentityAndTheAgentGoesOn() {
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      server.expect().get().withPath("/api/v1/nodes/node-a").andReturn(403, new StatusBuilder().withCode(403)
          .withReason("Forbidden").withMessage("nodes \"node-a\" is forbidden: User cannot get resource \"nodes\"").build())
          .always();

      NodeLookup lookup = new NodeLookup(client, "node-a", WAIT).start();

      assertThat(lookup.identity()).isEmpty();
      assertThat(server.getRequestCount()).as("one GET, not retried").isEqualTo(1);
    } finally {
      server.destroy();
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
