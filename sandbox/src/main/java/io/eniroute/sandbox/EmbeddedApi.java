package io.eniroute.sandbox;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sandbox's fallback API when no real kube-apiserver can be had: the fabric8 mock server in
 * CRUD mode on a loopback port, with eniroute's CRDs created in it (no authentication, RBAC,
 * admission, schema validation, server-side apply or printer columns).
 */
public final class EmbeddedApi implements SandboxApi {
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private EmbeddedApi(KubernetesMockServer server) {
    this.server = server;
    this.client = server.createClient();
  }

  /** Starts the server and creates every CRD found in {@code crdDir} (crds/*.yml). */
  public static EmbeddedApi start(Path crdDir) throws IOException {
    // The mock server logs every request at INFO through java.util.logging: keep the story readable.
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    KubernetesMockServer server = new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(), new DiscoveryDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    EmbeddedApi api = new EmbeddedApi(server);
    api.installCrds(crdDir);
    return api;
  }

  private void installCrds(Path crdDir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(crdDir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException("no CRD files (*.yml) in " + crdDir + "; run from the repository root");
    }
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
    }
  }

  @Override
  public String label() {
    return "fabric8 mock server (CRUD mode, no RBAC, admission or validation) at " + url() + " with the eniroute CRDs";
  }

  @Override
  public Path operatorKubeconfig(Path file) {
    return writeKubeconfig(file);
  }

  @Override
  public Path agentKubeconfig(String node, Path file) {
    return writeKubeconfig(file);
  }

  @Override
  public boolean serverSideApply() {
    return false;
  }


  @Override
  public String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public Path writeKubeconfig(Path file) {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: %s
        contexts:
        - name: sandbox
          context:
            cluster: sandbox
            user: sandbox
        current-context: sandbox
        users:
        - name: sandbox
          user:
            token: sandbox
        """.formatted(url());
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
