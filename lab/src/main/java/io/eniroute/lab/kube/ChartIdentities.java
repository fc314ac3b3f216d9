package io.eniroute.lab.kube;

import io.eniroute.lab.Cmd;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The chart's identities on a real API server: renders the ServiceAccounts, ClusterRoles,
 * bindings and the agent's ValidatingAdmissionPolicy with the real helm ({@code helm template
 * --show-only}), applies them, and hands out clients that authenticate exactly as the pods do:
 * the operator with a TokenRequest token of its ServiceAccount, an agent with a token bound to a
 * Pod scheduled on its node, so the server itself puts
 * {@code authentication.kubernetes.io/node-name} into the agent's user info.
 */
public final class ChartIdentities {
  public static final String RELEASE = "eniroute";
  public static final String NAMESPACE = "eniroute-system";
  public static final String OPERATOR_ACCOUNT = RELEASE + "-operator";
  public static final String AGENT_ACCOUNT = RELEASE + "-agent";
  private static final List<String> TEMPLATES = List.of("operator-serviceaccount.yaml", "operator-rbac.yaml",
      "agent-serviceaccount.yaml", "agent-rbac.yaml", "agent-admission-policy.yaml");

  private final ControlPlane plane;

  private ChartIdentities(ControlPlane plane) {
    this.plane = plane;
  }

  /**
   * Renders the chart at {@code chartDir} with {@code helm} and applies its identity objects
   * (idempotent: server-side apply). The API server's version is passed to helm so the
   * ValidatingAdmissionPolicy renders as it would against this server.
   */
  public static ChartIdentities install(ControlPlane plane, Path helm, Path chartDir) {
    if (!Files.isExecutable(helm)) {
      throw new IllegalStateException("no helm at " + helm + " (run bin/install-tools)");
    }
    try (KubernetesClient admin = plane.adminClient()) {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .serverSideApply();
    }
    List<String> argv = new ArrayList<>(List.of(helm.toString(), "template", RELEASE, chartDir.toString(),
        "--namespace", NAMESPACE, "--kube-version", plane.version(),
        "--api-versions", "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy"));
    TEMPLATES.forEach(t -> { argv.add("--show-only"); argv.add("templates/" + t); });
    String rendered = Cmd.run(argv, null, Duration.ofMinutes(1)).check().out();
    plane.kubectlWithInput(rendered, "apply", "--server-side", "--force-conflicts", "-f", "-").check().out();
    return new ChartIdentities(plane);
  }

  /** The user name the server sees for the agent's ServiceAccount. */
  public static String agentUser() {
    return "system:serviceaccount:" + NAMESPACE + ":" + AGENT_ACCOUNT;
  }

  /** A client with the operator's ServiceAccount token: every call is authorized by the chart's RBAC. */
  public KubernetesClient operatorClient() {
    return new KubernetesClientBuilder().withConfig(operatorConfig()).build();
  }

  public Config operatorConfig() {
    return plane.serviceAccountConfig(NAMESPACE, OPERATOR_ACCOUNT);
  }

  /**
   * The agent of {@code node}: a Pod of the agent's ServiceAccount bound to that node (created if
   * missing; no kubelet runs it) and a token bound to that Pod, as the kubelet projects it.
   */
  public Config agentConfig(String node) {
    try (KubernetesClient admin = plane.adminClient()) {
      String podName = "eniroute-agent-" + node;
      Pod pod = admin.pods().inNamespace(NAMESPACE).withName(podName).get();
      if (pod == null) {
        pod = admin.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
            .withNewMetadata().withName(podName).withLabels(java.util.Map.of("app.kubernetes.io/component", "agent")).endMetadata()
            .withNewSpec().withServiceAccountName(AGENT_ACCOUNT).withNodeName(node)
              .addNewContainer().withName("agent").withImage("eniroute-agent:test").endContainer()
            .endSpec().build()).create();
      }
      TokenRequest issued = admin.serviceAccounts().inNamespace(NAMESPACE).withName(AGENT_ACCOUNT)
          .tokenRequest(new TokenRequestBuilder().withNewSpec()
              .withExpirationSeconds(Duration.ofHours(2).toSeconds())
              .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(podName)
                .withUid(pod.getMetadata().getUid()).endBoundObjectRef()
              .endSpec().build());
      Config admin0 = plane.adminConfig();
      return new ConfigBuilder(Config.empty())
          .withMasterUrl(admin0.getMasterUrl())
          .withCaCertFile(admin0.getCaCertFile())
          .withCaCertData(admin0.getCaCertData())
          .withOauthToken(issued.getStatus().getToken())
          .build();
    }
  }

  public KubernetesClient agentClient(String node) {
    return new KubernetesClientBuilder().withConfig(agentConfig(node)).build();
  }
}
