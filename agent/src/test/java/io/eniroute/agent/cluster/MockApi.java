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
import java.util.HashMap;
import java.util.List;

/** A fabric8 mock API server in CRUD mode that knows NodeNetworkConfig (with its status subresource). */
final class MockApi implements AutoCloseable {
  final KubernetesMockServer server;
  final KubernetesClient client;

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

  NodeNetworkConfig get(String node) {
    return client.resources(NodeNetworkConfig.class).withName(node).get();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
