package io.eniroute.lab.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * eniroute on a control plane as the tests need it: the CRDs from crds/ (applied with kubectl,
 * once per server) and the chart's identities (ServiceAccounts, RBAC, admission policy); and the
 * reset between tests that share the server.
 */
public final class EnirouteInstall {
  private static final String GROUP = "eniroute.io";
  private static final ResourceDefinitionContext POLICIES = context("nodenetworkpolicies", "NodeNetworkPolicy");
  private static final ResourceDefinitionContext CONFIGS = context("nodenetworkconfigs", "NodeNetworkConfig");

  private EnirouteInstall() {}

  /** Installs what is missing and returns the chart's identities on this server. */
  public static ChartIdentities onto(ControlPlane plane) {
    Path root = repoRoot();
    try (KubernetesClient admin = plane.adminClient()) {
      if (admin.apiextensions().v1().customResourceDefinitions().withName("nodenetworkconfigs." + GROUP).get() == null) {
        plane.applyCrds(List.of(root.resolve("crds/nodenetworkpolicies.eniroute.io-v1.yml"),
            root.resolve("crds/nodenetworkconfigs.eniroute.io-v1.yml")), List.of("nodenetworkpolicies", "nodenetworkconfigs"), GROUP);
      }
    }
    return ChartIdentities.install(plane, helm(root), root.resolve("helm/eniroute"));
  }

  /**
   * Deletes every policy (finalizers removed first), config, node, event and lease a test made,
   * and waits until they are gone, so the next test on the same server starts from nothing.
   */
  public static void reset(KubernetesClient admin) {
    var policies = admin.genericKubernetesResources(POLICIES);
    for (GenericKubernetesResource p : policies.list().getItems()) {
      if (p.getMetadata().getFinalizers() != null && !p.getMetadata().getFinalizers().isEmpty()) {
        policies.withName(p.getMetadata().getName()).edit(x -> { x.getMetadata().setFinalizers(List.of()); return x; });
      }
    }
    policies.withGracePeriod(0).delete();
    admin.genericKubernetesResources(CONFIGS).delete();
    admin.nodes().delete();
    for (String ns : List.of("default", ChartIdentities.NAMESPACE)) {
      admin.v1().events().inNamespace(ns).delete();
      admin.events().v1().events().inNamespace(ns).delete();
      admin.leases().inNamespace(ns).delete();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!policies.list().getItems().isEmpty() || !admin.genericKubernetesResources(CONFIGS).list().getItems().isEmpty()
        || !admin.nodes().list().getItems().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("test objects still present 30 s after deletion");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  /** The repository root: tests run in a module folder, benchmarks and the sandbox at the root. */
  public static Path repoRoot() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("crds")) && Files.isDirectory(p.resolve("helm/eniroute"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root (a folder with crds/ and helm/eniroute) above " + here);
  }

  /** The helm binary: $HELM, else .tools/bin/helm where bin/install-tools puts it. */
  public static Path helm(Path root) {
    String fromEnv = System.getenv("HELM");
    return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : root.resolve(".tools/bin/helm");
  }

  private static ResourceDefinitionContext context(String plural, String kind) {
    return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion("v1alpha1").withPlural(plural)
        .withKind(kind).withNamespaced(false).build();
  }
}
