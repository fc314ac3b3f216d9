package io.eniroute.helm.real;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eniroute.lab.kube.ChartIdentities;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.EnirouteInstall;
import io.eniroute.lab.kube.RealApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's RBAC and its own-node ValidatingAdmissionPolicy, enforced by the real API server:
 * the agent authenticates with a token bound to a Pod on its node (as the kubelet projects it),
 * the operator with its ServiceAccount token. Each refusal is the server's, with its message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(RealApiServer.class)
class RealServerAccessTest {
  private static final ResourceDefinitionContext CONFIGS = new ResourceDefinitionContext.Builder()
      .withGroup("eniroute.io").withVersion("v1alpha1").withPlural("nodenetworkconfigs").withKind("NodeNetworkConfig")
      .withNamespaced(false).build();
  private static final String STATUS = "{\"status\":{\"result\":\"Applied\",\"observedGeneration\":1}}";

  private ControlPlane plane;
  private KubernetesClient admin;
  private ChartIdentities identities;

  @BeforeAll
  void installAndCreateTwoNodesWithConfigs(ControlPlane plane) {
    this.plane = plane;
    this.admin = plane.adminClient();
    this.identities = EnirouteInstall.onto(plane);
    for (String node : List.of("node-a", "node-b")) {
      admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
      admin.genericKubernetesResources(CONFIGS).resource(config(node)).create();
    }
  }

  @AfterAll
  void reset() {
    EnirouteInstall.reset(admin);
    admin.close();
  }

  @Test
  void agentMayPatchTheStatusOfItsOwnNodesConfig() {
    try (KubernetesClient agent = identities.agentClient("node-a")) {
      GenericKubernetesResource patched = agent.genericKubernetesResources(CONFIGS).withName("node-a").subresource("status")
          .patch(PatchContext.of(PatchType.JSON_MERGE), STATUS);
      assertThat(patched.get("status", "result").toString()).isEqualTo("Applied");
    }
  }

  @Test
  void agentPatchingAnotherNodesStatusIsRefusedByTheAdmissionPolicyNamingBothNodes() {
    try (KubernetesClient agent = identities.agentClient("node-a")) {
      KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, () ->
          agent.genericKubernetesResources(CONFIGS).withName("node-b").subresource("status")
              .patch(PatchContext.of(PatchType.JSON_MERGE), STATUS));
      assertThat(e.getCode()).isEqualTo(403);
      assertThat(e.getMessage()).contains("ValidatingAdmissionPolicy",
          "the eniroute agent on node node-a may only write NodeNetworkConfig/node-a, not node-b");
    }
  }

  @Test
  void agentWritingAnySpecOrCreatingOrDeletingAConfigIsRefusedByRbac() {
    try (KubernetesClient agent = identities.agentClient("node-a")) {
      var configs = agent.genericKubernetesResources(CONFIGS);
      List<Runnable> writes = List.of(
          () -> configs.withName("node-a").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"state\":\"absent\"}}"),
          () -> configs.resource(config("node-c")).create(),
          () -> configs.withName("node-a").delete());
      for (Runnable write : writes) {
        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, write::run);
        assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403);
        assertThat(e.getMessage()).contains("system:serviceaccount:eniroute-system:eniroute-agent", "cannot");
      }
    }
  }

  @Test
  void anAgentTokenWithoutANodeIsRefusedByTheAdmissionPolicy() {
    try (KubernetesClient unbound = plane.serviceAccountClient(ChartIdentities.NAMESPACE, ChartIdentities.AGENT_ACCOUNT)) {
      KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, () ->
          unbound.genericKubernetesResources(CONFIGS).withName("node-a").subresource("status")
              .patch(PatchContext.of(PatchType.JSON_MERGE), STATUS));
      assertThat(e.getCode()).isEqualTo(403);
      assertThat(e.getMessage()).contains("carries no node name");
    }
  }

  @Test
  void operatorMayWriteConfigsButReadsNoSecretsAndWritesNoNodes() {
    try (KubernetesClient operator = identities.operatorClient()) {
      operator.genericKubernetesResources(CONFIGS).withName("node-b")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"policyGeneration\":2}}");
      KubernetesClientException secrets = catchThrowableOfType(KubernetesClientException.class,
          () -> operator.secrets().inNamespace(ChartIdentities.NAMESPACE).list());
      assertThat(secrets.getCode()).isEqualTo(403);
      KubernetesClientException nodes = catchThrowableOfType(KubernetesClientException.class,
          () -> operator.nodes().withName("node-a").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}"));
      assertThat(nodes.getCode()).isEqualTo(403);
    }
  }

  private static GenericKubernetesResource config(String node) {
    GenericKubernetesResource c = new GenericKubernetesResource();
    c.setApiVersion("eniroute.io/v1alpha1");
    c.setKind("NodeNetworkConfig");
    c.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(node).build());
    c.setAdditionalProperty("spec", Map.of("policy", "web", "policyGeneration", 1, "state", "present"));
    return c;
  }
}
