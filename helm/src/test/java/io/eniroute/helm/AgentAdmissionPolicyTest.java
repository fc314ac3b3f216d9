package io.eniroute.helm;

import io.eniroute.lab.Cmd;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An agent may write only its own node's NodeNetworkConfig, by the node name in its token. */
@org.junit.jupiter.api.extension.ExtendWith(RenderedCharts.class)
class AgentAdmissionPolicyTest {
  private static final String AGENT = "system:serviceaccount:eniroute-system:eniroute-agent";
  private static final String NODE_NAME_KEY = "authentication.kubernetes.io/node-name";

  private final Manifests manifests;
  private final AdmissionPolicyEvaluator policy;
  private final Helm helm;

  AgentAdmissionPolicyTest(RenderedCharts.Charts charts) {
    manifests = charts.of(ValueSet.DEFAULTS);
    policy = new AdmissionPolicyEvaluator(manifests.named(ValidatingAdmissionPolicy.class, "-agent-own-node"));
    helm = charts.helm();
  }

  @Test
  void policyCoversConfigWritesAndIsBoundToDeny() {
    ValidatingAdmissionPolicy vap = manifests.named(ValidatingAdmissionPolicy.class, "-agent-own-node");
    assertThat(vap.getSpec().getFailurePolicy()).isEqualTo("Fail");
    var rule = vap.getSpec().getMatchConstraints().getResourceRules().get(0);
    assertThat(rule.getApiGroups()).containsExactly("eniroute.io");
    assertThat(rule.getResources()).containsExactlyInAnyOrder("nodenetworkconfigs", "nodenetworkconfigs/status");
    assertThat(rule.getOperations()).contains("UPDATE");
    ValidatingAdmissionPolicyBinding binding = manifests.named(ValidatingAdmissionPolicyBinding.class, "-agent-own-node");
    assertThat(binding.getSpec().getPolicyName()).isEqualTo(vap.getMetadata().getName());
    assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
  }

  @Test
  void agentMayPatchTheStatusOfItsOwnNode() {
    assertThat(policy.evaluate(statusPatch(AGENT, "ip-10-0-1-5.ec2.internal", "ip-10-0-1-5.ec2.internal"))).isEmpty();
  }

  @Test
  void agentMayNotPatchAnotherNodesConfig() {
    assertThat(policy.evaluate(statusPatch(AGENT, "ip-10-0-1-5.ec2.internal", "ip-10-0-9-9.ec2.internal")))
        .hasValue("the eniroute agent on node ip-10-0-1-5.ec2.internal may only write "
            + "NodeNetworkConfig/ip-10-0-1-5.ec2.internal, not ip-10-0-9-9.ec2.internal");
  }

  @Test
  void aTokenWithoutANodeNameIsRefused() {
    Map<String, Object> noExtra = Map.of("name", "n1", "userInfo", Map.of("username", AGENT));
    assertThat(policy.evaluate(noExtra)).get().asString().contains("carries no node name");
    Map<String, Object> otherExtra = Map.of("name", "n1",
        "userInfo", Map.of("username", AGENT, "extra", Map.of("authentication.kubernetes.io/pod-name", List.of("p"))));
    assertThat(policy.evaluate(otherExtra)).get().asString().contains("agent.admissionPolicy.enabled=false");
  }

  @Test
  void otherUsersLikeTheOperatorAreNotRestricted() {
    assertThat(policy.evaluate(statusPatch("system:serviceaccount:eniroute-system:eniroute-operator", "", "n2")))
        .isEmpty();
    assertThat(policy.evaluate(Map.of("name", "n2", "userInfo", Map.of("username", "kubernetes-admin")))).isEmpty();
  }

  @Test
  void leftOutOnClustersWithoutValidatingAdmissionPolicyV1() {
    Cmd.Result r = helm.template(List.of("--kube-version", "1.29.0"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(new StrictManifestReader().readAll(r.out()))
        .noneMatch(o -> o.getKind().startsWith("ValidatingAdmissionPolicy"))
        .anyMatch(o -> o.getKind().equals("DaemonSet"));
  }

  private static Map<String, Object> statusPatch(String user, String tokenNode, String target) {
    Map<String, Object> extra = tokenNode.isEmpty() ? Map.of() : Map.of(NODE_NAME_KEY, List.of(tokenNode));
    return Map.of("name", target, "subResource", "status", "operation", "UPDATE",
        "userInfo", Map.of("username", user, "extra", extra));
  }
}
