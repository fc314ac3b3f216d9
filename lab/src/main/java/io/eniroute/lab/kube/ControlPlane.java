package io.eniroute.lab.kube;

import io.eniroute.lab.Cmd;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Kubernetes control plane on this machine: kube-apiserver and etcd started by fabric8
 * kube-api-test from {@code ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<version>-linux-amd64/}
 * (bin/install-control-plane builds them there from their Go modules). The server runs with
 * {@code --authorization-mode=RBAC} and the default admission chain (ValidatingAdmissionPolicy
 * included); the admin identity is a client certificate in {@code system:masters}.
 *
 * <p>Start one per test suite or sandbox run (it takes seconds on 2 cores), never per test.
 */
public final class ControlPlane implements AutoCloseable {
  /** The version bin/install-control-plane builds; override with ENIROUTE_KUBE_VERSION. */
  public static final String DEFAULT_VERSION = "1.34.4";

  private final KubeAPIServer server;
  private final String version;
  private final String kubeconfigYaml;
  private final Config adminConfig;
  private final Path kubeconfigFile;
  private final AuditLog audit;
  private volatile boolean closed;

  private ControlPlane(KubeAPIServer server, String version, AuditLog audit) {
    this.server = server;
    this.version = version;
    this.audit = audit;
    this.kubeconfigYaml = server.getKubeConfigYaml();
    this.adminConfig = Config.fromKubeconfig(kubeconfigYaml);
    try {
      this.kubeconfigFile = Files.createTempFile("eniroute-kubeconfig-", ".yaml");
      Files.writeString(kubeconfigFile, kubeconfigYaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin kubeconfig", e);
    }
  }

  /** The pinned version: ENIROUTE_KUBE_VERSION, else {@link #DEFAULT_VERSION}. */
  public static String pinnedVersion() {
    String v = System.getenv("ENIROUTE_KUBE_VERSION");
    return v == null || v.isBlank() ? DEFAULT_VERSION : v.trim();
  }

  /** Where kube-api-test looks for the binaries of the pinned version. */
  public static Path binaryDir() {
    String base = System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR);
    Path root = base == null || base.isBlank()
        ? Path.of(System.getProperty("user.home"), KubeAPIServerConfigBuilder.DIRECTORY_NAME) : Path.of(base);
    return root.resolve("k8s").resolve(pinnedVersion() + "-linux-amd64");
  }

  /** Null when the binaries are there, else one sentence saying what is missing and how to get it. */
  public static String unavailableReason() {
    Path dir = binaryDir();
    for (String bin : List.of("kube-apiserver", "etcd", "kubectl")) {
      if (!Files.isExecutable(dir.resolve(bin))) {
        return "no " + bin + " in " + dir + " (run bin/install-control-plane, which builds it with Go)";
      }
    }
    return null;
  }

  /**
   * Starts etcd and kube-apiserver and waits until the API answers. With the binaries in place
   * nothing is downloaded (offline mode); without them kube-api-test tries the envtest archive,
   * which needs internet access.
   */
  public static ControlPlane start(Duration startupTimeout, List<String> extraApiServerFlags, boolean audited) {
    String version = pinnedVersion();
    AuditLog audit = audited ? AuditLog.create() : null;
    List<String> flags = new java.util.ArrayList<>(extraApiServerFlags);
    if (audit != null) {
      flags.addAll(audit.apiServerFlags());
    }
    KubeAPIServerConfig config = KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withApiServerVersion(version)
        .withOfflineMode(unavailableReason() == null)
        .withStartupTimeout((int) startupTimeout.toMillis())
        .withWaitForEtcdHealthCheckOnStartup(true)
        .withApiServerFlags(flags)
        .build();
    KubeAPIServer server = new KubeAPIServer(config);
    try {
      server.start();
    } catch (RuntimeException e) {
      stopQuietly(server);
      throw new IllegalStateException("the Kubernetes control plane v" + version + " did not start: " + e.getMessage()
          + (unavailableReason() == null ? "" : "; " + unavailableReason()), e);
    }
    ControlPlane plane = new ControlPlane(server, version, audit);
    // The processes must not outlive a JVM that dies without closing us (Ctrl-C in the sandbox).
    Runtime.getRuntime().addShutdownHook(new Thread(plane::close, "control-plane-stop"));
    return plane;
  }

  /**
   * Starts with a 3-minute startup budget (a cold 2-core machine needs well under one) and the
   * audit log on, so tests can ask the server which calls an identity made and how they ended.
   */
  public static ControlPlane start() {
    return start(Duration.ofMinutes(3), List.of(), true);
  }

  /** The server's audit log; empty when started without one. */
  public java.util.Optional<AuditLog> audit() {
    return java.util.Optional.ofNullable(audit);
  }

  public String version() {
    return version;
  }

  public String url() {
    return adminConfig.getMasterUrl();
  }

  /** The admin kubeconfig (client certificate in system:masters), as kube-api-test writes it. */
  public String kubeconfigYaml() {
    return kubeconfigYaml;
  }

  public Path writeKubeconfig(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, kubeconfigYaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a kubeconfig to " + file, e);
    }
  }

  /** The admin kubeconfig as a file (for kubectl and helm), removed on close. */
  public Path kubeconfigFile() {
    return kubeconfigFile;
  }

  /** The kubectl of the pinned version, next to the server binaries. */
  public Path kubectlBinary() {
    return binaryDir().resolve("kubectl");
  }

  /** Runs the real kubectl as admin against this server; never throws on a non-zero exit. */
  public Cmd.Result kubectl(String... args) {
    List<String> argv = new java.util.ArrayList<>(List.of(kubectlBinary().toString(), "--kubeconfig", kubeconfigFile.toString()));
    argv.addAll(List.of(args));
    return Cmd.run(argv, null, Duration.ofMinutes(2));
  }

  /** Runs kubectl with {@code stdin} as its standard input (e.g. {@code apply -f -}). */
  public Cmd.Result kubectlWithInput(String stdin, String... args) {
    List<String> argv = new java.util.ArrayList<>(List.of(kubectlBinary().toString(), "--kubeconfig", kubeconfigFile.toString()));
    argv.addAll(List.of(args));
    return Cmd.run(argv, stdin, Duration.ofMinutes(2));
  }

  /**
   * Installs CRDs as a user does ({@code kubectl apply --server-side -f}), waits until each is
   * Established and until discovery and OpenAPI v3 serve it, so that the next kubectl (get, explain) knows it.
   */
  public void applyCrds(List<Path> files, List<String> plurals, String group) {
    List<String> args = new java.util.ArrayList<>(List.of("apply", "--server-side", "--force-conflicts"));
    files.forEach(f -> { args.add("-f"); args.add(f.toAbsolutePath().toString()); });
    kubectl(args.toArray(String[]::new)).check().out();
    List<String> waitArgs = new java.util.ArrayList<>(List.of("wait", "--for=condition=Established", "--timeout=60s"));
    plurals.forEach(p -> waitArgs.add("crd/" + p + "." + group));
    kubectl(waitArgs.toArray(String[]::new)).check().out();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      String served = kubectl("api-resources", "--api-group=" + group, "-o", "name").out();
      // kubectl explain reads OpenAPI v3, which the server publishes a moment after discovery and
      // one CRD at a time: the group's document may list one kind before the other, so ask for
      // exactly what explain needs, each kind.
      if (plurals.stream().allMatch(p -> served.contains(p + "." + group))
          && plurals.stream().allMatch(p -> kubectl("explain", p + "." + group).ok())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("discovery and OpenAPI v3 do not serve " + plurals + " of " + group + " after 60 s: " + served);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
  }

  /** A fresh admin config; callers may change it (user agent, timeouts) without affecting others. */
  public Config adminConfig() {
    return new ConfigBuilder(adminConfig).build();
  }

  public KubernetesClient adminClient() {
    return new KubernetesClientBuilder().withConfig(adminConfig()).build();
  }

  /**
   * A client that acts as {@code user} through impersonation: the server authorizes every request
   * as that user with those groups and extra values (for example
   * {@code authentication.kubernetes.io/node-name}, which a ValidatingAdmissionPolicy can read).
   */
  public KubernetesClient clientAs(String user, List<String> groups, Map<String, List<String>> extra) {
    Config c = adminConfig();
    c.setImpersonateUsername(user);
    c.setImpersonateGroups(groups.toArray(String[]::new));
    c.setImpersonateExtras(extra);
    return new KubernetesClientBuilder().withConfig(c).build();
  }

  /**
   * A client that authenticates as a ServiceAccount with a real token from the TokenRequest API,
   * exactly as a pod's projected token does (the account must exist).
   */
  public KubernetesClient serviceAccountClient(String namespace, String name) {
    return new KubernetesClientBuilder().withConfig(serviceAccountConfig(namespace, name)).build();
  }

  /** The config {@link #serviceAccountClient} uses: server URL, CA, and the bearer token only. */
  public Config serviceAccountConfig(String namespace, String name) {
    String token = serviceAccountToken(namespace, name, Duration.ofHours(2));
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(adminConfig.getMasterUrl())
        .withCaCertFile(adminConfig.getCaCertFile())
        .withCaCertData(adminConfig.getCaCertData())
        .withOauthToken(token)
        .build();
  }

  public String serviceAccountToken(String namespace, String name, Duration lifetime) {
    try (KubernetesClient admin = adminClient()) {
      TokenRequest request = new TokenRequestBuilder()
          .withNewSpec().withExpirationSeconds(lifetime.toSeconds()).endSpec().build();
      TokenRequest issued = admin.serviceAccounts().inNamespace(namespace).withName(name).tokenRequest(request);
      return issued.getStatus().getToken();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopQuietly(server);
    if (audit != null) {
      audit.delete();
    }
    try {
      Files.deleteIfExists(kubeconfigFile);
    } catch (IOException ignored) {
      // A temp file left behind is harmless.
    }
  }

  private static void stopQuietly(KubeAPIServer server) {
    try {
      server.stop();
    } catch (RuntimeException ignored) {
      // Stopping is best effort: the processes may already be gone.
    }
  }
}
