package io.eniroute.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicyStatus;
import io.eniroute.lab.Cmd;
import io.eniroute.crds.v1alpha1.PolicyPhase;
import io.fabric8.kubernetes.api.model.Node;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's fallback API (when no real kube-apiserver can be had) behaves enough like kube-apiserver for the operator and agents: CRDs from
 * crds/*.yml are served, spec edits bump metadata.generation (the rollout is driven by it),
 * status writes do not, and Nodes carry what the operator reads to find the EC2 instance.
 */
class EmbeddedApiTest {
  @Test
  void servesTheCrdsAndBumpsGenerationOnSpecChangesOnly() throws Exception {
    try (EmbeddedApi api = EmbeddedApi.start(Path.of("..", "crds"))) {
      var client = api.client();
      NodeNetworkPolicy created = client.resource(Policies.seedCase(true)).create();
      assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

      NodeNetworkPolicy edited = client.resources(NodeNetworkPolicy.class).withName(Policies.NAME).edit(p -> {
        p.getSpec().getRouting().setGateway("10.0.0.254");
        return p;
      });
      assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);

      NodeNetworkPolicy withStatus = client.resources(NodeNetworkPolicy.class).withName(Policies.NAME).get();
      withStatus.setStatus(new NodeNetworkPolicyStatus());
      withStatus.getStatus().setPhase(PolicyPhase.PROGRESSING);
      NodeNetworkPolicy afterStatus = client.resource(withStatus).updateStatus();
      assertThat(afterStatus.getStatus().getPhase()).isEqualTo(PolicyPhase.PROGRESSING);
      assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(2L);
    }
  }

  @Test
  void kubectlListsPoliciesConfigsAndNodes() throws Exception {
    Path kubectl = Path.of("..", ".tools", "bin", "kubectl");
    assertThat(kubectl).as("kubectl in .tools/bin (bin/install-tools installs it)").isExecutable();
    try (EmbeddedApi api = EmbeddedApi.start(Path.of("..", "crds"))) {
      api.client().resource(Policies.seedCase(false)).create();
      api.createNode("node-1", "aws:///us-east-1a/i-0123456789abcdef0", "us-east-1", "us-east-1a", Map.of());
      Path kc = api.writeKubeconfig(java.nio.file.Files.createTempFile("kubeconfig", ".yaml"));
      Cmd.Result r = Cmd.run(java.util.List.of(kubectl.toString(), "--kubeconfig", kc.toString(), "get", "nnp,nnc,nodes"), 30_000);
      assertThat(r.err()).isEmpty();
      assertThat(r.out()).contains("nodenetworkpolicy.eniroute.io/multi-eip").contains("node/node-1");
      java.nio.file.Files.delete(kc);
    }
  }

  @Test
  void nodesCarryProviderIdAndRegionLikeOnEks() throws Exception {
    try (EmbeddedApi api = EmbeddedApi.start(Path.of("..", "crds"))) {
      Ec2Instance inst = new Ec2Instance("node-1", "i-0123456789abcdef0", "us-east-1a");
      api.createNode("node-1", inst.providerId(), "us-east-1", "us-east-1a", Map.of(Sandbox.NODE_LABEL, "true"));
      Node n = api.client().nodes().withName("node-1").get();
      assertThat(n.getSpec().getProviderID()).isEqualTo("aws:///us-east-1a/i-0123456789abcdef0");
      assertThat(n.getMetadata().getLabels()).containsEntry("topology.kubernetes.io/region", "us-east-1")
          .containsEntry(Sandbox.NODE_LABEL, "true");
      assertThat(api.url()).startsWith("http://127.0.0.1:");
    }
  }
}
