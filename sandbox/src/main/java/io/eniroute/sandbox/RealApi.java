package io.eniroute.sandbox;

import io.eniroute.lab.kube.ChartIdentities;
import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.EnirouteInstall;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The sandbox on a real control plane: kube-apiserver + etcd (bin/install-control-plane), the
 * CRDs applied with kubectl, and the chart's ServiceAccounts, RBAC and own-node admission policy.
 * The operator runs with its ServiceAccount's token and each agent with a token bound to a Pod on
 * its node, so RBAC and the admission policy are in force exactly as in a cluster.
 */
public final class RealApi implements SandboxApi {
  private final ControlPlane plane;
  private final KubernetesClient client;
  private final ChartIdentities identities;

  private RealApi(ControlPlane plane) {
    this.plane = plane;
    this.client = plane.adminClient();
    this.identities = EnirouteInstall.onto(plane);
  }

  /** Null when the binaries are there; else the sentence saying what is missing. */
  public static String unavailableReason() {
    return ControlPlane.unavailableReason();
  }

  public static RealApi start() {
    ControlPlane plane = ControlPlane.start();
    try {
      return new RealApi(plane);
    } catch (RuntimeException e) {
      plane.close();
      throw e;
    }
  }

  @Override
  public String label() {
    return "kube-apiserver v" + plane.version() + " + etcd (real) at " + url()
        + "; the operator and agents authenticate as the chart's ServiceAccounts (RBAC and the own-node admission policy in force)";
  }

  @Override
  public String url() {
    return plane.url();
  }

  @Override
  public KubernetesClient client() {
    return client;
  }


  @Override
  public Path writeKubeconfig(Path file) {
    return plane.writeKubeconfig(file);
  }

  @Override
  public Path operatorKubeconfig(Path file) {
    return write(file, identities.operatorConfig(), ChartIdentities.OPERATOR_ACCOUNT);
  }

  @Override
  public Path agentKubeconfig(String node, Path file) {
    return write(file, identities.agentConfig(node), ChartIdentities.AGENT_ACCOUNT + "@" + node);
  }

  @Override
  public boolean serverSideApply() {
    return true;
  }

  /** A kubeconfig with the server, its CA and a bearer token: what a pod's projected token amounts to. */
  private static Path write(Path file, Config c, String user) {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: %s
            certificate-authority: %s
        contexts:
        - name: %s
          context:
            cluster: sandbox
            user: %s
        current-context: %s
        users:
        - name: %s
          user:
            token: %s
        """.formatted(c.getMasterUrl(), c.getCaCertFile(), user, user, user, user, c.getOauthToken());
    try {
      Files.writeString(file, yaml);
      file.toFile().setReadable(false, false);
      file.toFile().setReadable(true, true);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  @Override
  public void close() {
    client.close();
    plane.close();
  }
}
