package io.eniroute.agent.cluster;

import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.List;

/** A fabric8 mock API server in CRUD mode that knows NodeNetworkConfig (with its status subresource). */
final class MockApi implements AutoCloseable {
  final KubernetesMockServer server;
  final KubernetesClient client;

  static final String AGENT_AGENT = "eniroute-agent-under-test";
  /** The chart's RBAC test (helm module) checks every call recorded here against the Roles it grants. */
  private static final Path RECORDED_CALLS = Path.of("target", "rbac-recorded.txt");

  MockApi() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(List.of(CustomResourceDefinitionContext.fromCustomResourceType(NodeNetworkConfig.class))),
        false);
    server.init();
    client = server.createClient();
  }

  static NodeNetworkConfig config(String node, long policyGeneration, String... eth1Addresses) {
    NodeNetworkConfig c = new NodeNetworkConfig();
    c.setMetadata(new ObjectMetaBuilder().withName(node).build());
    NodeNetworkConfigSpec s = new NodeNetworkConfigSpec();
    s.setPolicy("web");
    s.setPolicyGeneration(policyGeneration);
    s.setState(ConfigState.PRESENT);
    s.setAddresses(List.of(new InterfaceAddresses("02:aa:00:00:00:02", List.of(eth1Addresses))));
    c.setSpec(s);
    return c;
  }

  /** A client for the agent under test: its requests carry a user agent of their own, recorded on close. */
  KubernetesClient agentClient() {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(AGENT_AGENT).build())
        .build();
  }

  NodeNetworkConfig get(String node) {
    return client.resources(NodeNetworkConfig.class).withName(node).get();
  }

  @Override
  public void close() {
    client.close();
    recordAgentCalls();
    server.destroy();
  }

  private void recordAgentCalls() {
    StringBuilder lines = new StringBuilder();
    try {
      RecordedRequest r;
      while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
        if (AGENT_AGENT.equals(r.getHeader("User-Agent"))) {
          lines.append("agent ").append(r.getMethod()).append(' ').append(r.getPath()).append('\n');
        }
      }
      Files.createDirectories(RECORDED_CALLS.getParent());
      Files.writeString(RECORDED_CALLS, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record API calls in " + RECORDED_CALLS, e);
    }
  }
}
