package io.eniroute.operator.testing;

import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicySpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** A fabric8 mock API server in CRUD mode with eniroute's CRDs installed, plus object helpers. */
public final class MockCluster implements AutoCloseable {
  /** Kept so the JUL logger (and its level) is not garbage-collected; the mock logs every request at INFO. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  static final String OPERATOR_AGENT = "eniroute-operator-under-test";
  /** The chart's RBAC test (helm module) checks every call recorded here against the Roles it grants. */
  private static final Path RECORDED_CALLS = Path.of("target", "rbac-recorded.txt");

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  public MockCluster() {
    // CRUD mode, plus the few canned answers of allowLeases() (the mixed dispatcher checks those first).
    Map<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>> canned = new HashMap<>();
    server = new KubernetesMockServer(new Context(), new MockWebServer(), canned,
        new io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher(canned), false);
    server.init();
    client = server.createClient();
    installCrds();
  }

  public KubernetesClient client() {
    return client;
  }

  /** A fresh client on the same server (a simulated agent or a test driver of its own). */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  /**
   * A client for an operator under test. Its requests carry a user agent of their own so that
   * {@link #close()} records exactly the calls the operator made.
   */
  public KubernetesClient operatorClient() {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(server.createClient().getConfiguration())
            .withUserAgent(OPERATOR_AGENT).build())
        .build();
  }

  public String url() {
    return client.getConfiguration().getMasterUrl();
  }

  private void installCrds() {
    // Tests run in operator/, bin/bench from the repository root.
    Path dir = Files.isDirectory(Path.of("..", "crds")) ? Path.of("..", "crds") : Path.of("crds");
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(p -> p.getFileName().toString().endsWith(".yml")).forEach(p ->
          client.apiextensions().v1().customResourceDefinitions().load(p.toFile()).create());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CRDs in " + dir.toAbsolutePath(), e);
    }
  }

  /**
   * JOSDK asks the API server (SelfSubjectRulesReview) whether it may use Leases before it
   * elects; the CRUD mock cannot answer that, so this answers "yes" like a correctly bound Role.
   */
  public void allowLeases() {
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
            .withNewMetadata().endMetadata()
            .withNewStatus().withIncomplete(false)
              .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
            .endStatus().build())
        .always();
  }

  public Node createNode(String name, Map<String, String> labels) {
    return client.nodes().resource(new NodeBuilder()
        .withMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels).build())
        .withNewSpec().withProviderID("aws:///us-east-1a/i-" + name).endSpec()
        .build()).create();
  }

  public static NodeNetworkPolicy policy(String name, Map<String, String> matchLabels, Object maxUnavailable, int maxFailures,
      int nodeTimeoutSeconds) {
    NodeNetworkPolicy p = new NodeNetworkPolicy();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    NodeNetworkPolicySpec spec = new NodeNetworkPolicySpec();
    spec.setNodeSelector(new LabelSelectorBuilder().withMatchLabels(matchLabels).build());
    spec.getRollout().setMaxUnavailable(maxUnavailable instanceof Integer i ? new IntOrString(i) : new IntOrString((String) maxUnavailable));
    spec.getRollout().setMaxFailures(maxFailures);
    spec.getRollout().setNodeTimeoutSeconds(nodeTimeoutSeconds);
    p.setSpec(spec);
    return p;
  }

  @Override
  public void close() {
    client.close();
    recordOperatorCalls();
    server.destroy();
  }

  private void recordOperatorCalls() {
    StringBuilder lines = new StringBuilder();
    try {
      io.fabric8.mockwebserver.http.RecordedRequest r;
      while ((r = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
        if (OPERATOR_AGENT.equals(r.getHeader("User-Agent"))) {
          lines.append("operator ").append(r.getMethod()).append(' ').append(r.getPath()).append('\n');
        }
      }
      Files.createDirectories(RECORDED_CALLS.getParent());
      Files.writeString(RECORDED_CALLS, lines, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record API calls in " + RECORDED_CALLS, e);
    }
  }
}
