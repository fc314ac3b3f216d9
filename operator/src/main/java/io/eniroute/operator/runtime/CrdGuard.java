package io.eniroute.operator.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the installed CRDs at least as new as the operator's model, before the operator starts.
 * Helm installs a chart's crds/ once and never upgrades them, so after {@code helm upgrade} the
 * new operator may meet CRDs that lack its newer fields (the API server would prune them).
 *
 * <p>"Older" is derived, not declared: a CRD is older when a field path of the bundled schema
 * (the committed crds/*.yml, which the crds jar carries) is missing from the installed one.
 * With {@code manage} the operator server-side applies its bundled CRDs over older ones (only
 * patching existing CRDs: the chart grants patch on these two names alone); without it, or when
 * the server refuses, start fails with one sentence naming the CRD, the missing fields and the fix.
 * A newer installed CRD (a later chart) is left alone.
 */
public final class CrdGuard {
  private static final Logger log = LoggerFactory.getLogger(CrdGuard.class);
  public static final List<String> CRDS = List.of("nodenetworkpolicies.eniroute.io", "nodenetworkconfigs.eniroute.io");
  static final String FIELD_MANAGER = "eniroute-operator";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** What the guard found and did for one CRD. */
  public record Outcome(String crd, List<String> missingFields, boolean updated) {}

  /** Start refused: the message is the one sentence a person acts on. */
  public static final class OutdatedCrdException extends RuntimeException {
    public OutdatedCrdException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final KubernetesClient client;
  private final boolean manage;

  public CrdGuard(KubernetesClient client, boolean manage) {
    this.client = client;
    this.manage = manage;
  }

  /** Checks (and, when managing, updates) every CRD; throws {@link OutdatedCrdException} to refuse start. */
  public List<Outcome> ensureCurrent() {
    List<Outcome> outcomes = new ArrayList<>();
    for (String name : CRDS) {
      outcomes.add(ensure(name, bundled(name)));
    }
    return outcomes;
  }

  private Outcome ensure(String name, CustomResourceDefinition wanted) {
    CustomResourceDefinition installed = get(name);
    if (installed == null) {
      throw new OutdatedCrdException("the CRD " + name + " is not installed: install the chart (its crds/ folder) or run "
          + "kubectl apply --server-side -f crds/ from this eniroute version", null);
    }
    List<String> missing = missingFields(wanted, installed);
    if (missing.isEmpty()) {
      return new Outcome(name, missing, false);
    }
    if (!manage) {
      throw new OutdatedCrdException(refusal(name, missing, "--manage-crds is off"), null);
    }
    try {
      wanted.getMetadata().setResourceVersion(null);
      client.apiextensions().v1().customResourceDefinitions().resource(wanted)
          .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    } catch (KubernetesClientException e) {
      throw new OutdatedCrdException(refusal(name, missing, "updating it failed: " + e.getCode() + " " + e.getMessage()), e);
    }
    log.info("CRD {} was older than this operator (missing {}): updated it", name, missing);
    return new Outcome(name, missing, true);
  }

  private CustomResourceDefinition get(String name) {
    try {
      return client.apiextensions().v1().customResourceDefinitions().withName(name).get();
    } catch (KubernetesClientException e) {
      throw new OutdatedCrdException("cannot read the CRD " + name + " (" + e.getCode() + "): grant the operator get on "
          + "customresourcedefinitions " + name + " (the chart does) or start it with --no-manage-crds after checking by hand", e);
    }
  }

  private static String refusal(String name, List<String> missing, String why) {
    return "the installed CRD " + name + " is older than this operator (it lacks " + String.join(", ", missing) + ") and "
        + why + ": run kubectl apply --server-side -f crds/ from this eniroute version, or let the operator update it "
        + "(--manage-crds, chart value operator.manageCrds=true)";
  }

  /** Field paths (version/path) of {@code wanted}'s schemas that {@code installed} lacks; sorted. */
  static List<String> missingFields(CustomResourceDefinition wanted, CustomResourceDefinition installed) {
    TreeSet<String> have = new TreeSet<>();
    for (CustomResourceDefinitionVersion v : installed.getSpec().getVersions()) {
      paths(v.getName(), schema(v), have);
    }
    TreeSet<String> want = new TreeSet<>();
    for (CustomResourceDefinitionVersion v : wanted.getSpec().getVersions()) {
      paths(v.getName(), schema(v), want);
    }
    want.removeAll(have);
    return List.copyOf(want);
  }

  private static JsonNode schema(CustomResourceDefinitionVersion v) {
    Object s = Optional.ofNullable(v.getSchema()).map(x -> (Object) x.getOpenAPIV3Schema()).orElse(null);
    return JSON.convertValue(s, JsonNode.class);
  }

  private static void paths(String prefix, JsonNode schema, TreeSet<String> out) {
    out.add(prefix);
    if (schema == null || schema.isNull()) {
      return;
    }
    JsonNode props = schema.path("properties");
    props.fieldNames().forEachRemaining(f -> paths(prefix + "." + f, props.get(f), out));
    JsonNode items = schema.path("items");
    if (!items.isMissingNode()) {
      paths(prefix + "[]", items, out);
    }
  }

  /** The CRD this operator was built with: crds/*.yml as the crds jar carries it. */
  static CustomResourceDefinition bundled(String name) {
    String resource = "/META-INF/eniroute-crds/" + name + "-v1.yml";
    try (InputStream in = CrdGuard.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath (the crds jar carries it)");
      }
      return JSON.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
