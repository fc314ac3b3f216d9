package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.eniroute.operator.rollout.NodeProgress;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes NodeNetworkConfigs and tells the informer cache about its own writes, so the next
 * reconcile never mistakes a node it just handed out for one still waiting.
 *
 * <p>Specs are written with a JSON patch that replaces {@code /spec} whole (a merge patch could
 * not remove a field the policy dropped) and leaves {@code /status}, the agent's, alone.
 */
final class ConfigWriter {
  private static final Logger log = LoggerFactory.getLogger(ConfigWriter.class);

  private final KubernetesClient client;
  private final ClusterCache cache;

  ConfigWriter(KubernetesClient client, ClusterCache cache) {
    this.client = client;
    this.cache = cache;
  }

  /**
   * Gives {@code node} the spec, stamping when it was handed out (the rollout's clock) and, from
   * {@code instance}, the node's EC2 instance ({@link DepartedNode}), so its addresses can still
   * be released once the Node object is gone.
   */
  NodeNetworkConfig hand(NodeNetworkPolicy policy, String node, NodeNetworkConfig existing,
      NodeNetworkConfigSpec spec, Map<String, String> instance, Instant now) {
    if (existing == null) {
      Map<String, String> annotations = new LinkedHashMap<>(instance);
      annotations.put(NodeProgress.HANDED_AT, now.toString());
      NodeNetworkConfig config = new NodeNetworkConfig();
      config.setMetadata(new ObjectMetaBuilder()
          .withName(node)
          .withLabels(Map.of(Api.POLICY_LABEL, policy.getMetadata().getName(), Api.NODE_LABEL, node))
          .withAnnotations(annotations)
          .withOwnerReferences(new OwnerReferenceBuilder()
              .withApiVersion(policy.getApiVersion()).withKind(policy.getKind())
              .withName(policy.getMetadata().getName()).withUid(policy.getMetadata().getUid())
              .withController(true).withBlockOwnerDeletion(true).build())
          .build());
      config.setSpec(spec);
      NodeNetworkConfig created = client.resource(config).create();
      cache.created(created);
      log.info("node {}: created its NodeNetworkConfig with policy {} generation {}", node,
          policy.getMetadata().getName(), spec.getPolicyGeneration());
      return created;
    }
    NodeNetworkConfig patched = patch(existing, spec, instance, now);
    log.info("node {}: handed policy {} generation {} (was generation {}, {})", node, policy.getMetadata().getName(),
        spec.getPolicyGeneration(), existing.getSpec().getPolicyGeneration(), existing.getSpec().getState().value());
    return patched;
  }

  /** Turns the node's config to {@code state: absent}: its agent removes everything eniroute put there. */
  NodeNetworkConfig retire(NodeNetworkConfig existing, Instant now) {
    NodeNetworkConfigSpec spec = copy(existing.getSpec());
    spec.setState(ConfigState.ABSENT);
    NodeNetworkConfig patched = patch(existing, spec, Map.of(), now);
    log.info("node {}: config set to absent, waiting for its agent to revert", existing.getMetadata().getName());
    return patched;
  }

  /**
   * Removes annotation {@code key} if it still holds {@code value}; a newer value (a hand-out
   * meanwhile) stays, and the next reconcile reads it.
   */
  void clearAnnotation(NodeNetworkConfig existing, String key, String value) {
    String path = "/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1");
    String json = client.getKubernetesSerialization().asJson(List.of(
        Map.of("op", "test", "path", path, "value", value), Map.of("op", "remove", "path", path)));
    try {
      NodeNetworkConfig patched = client.resources(NodeNetworkConfig.class).resource(existing)
          .patch(PatchContext.of(PatchType.JSON), json);
      cache.updated(patched, existing);
      log.info("node {}: annotation {} removed", existing.getMetadata().getName(), key);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 422 && e.getCode() != 404) {
        throw e;
      }
      log.debug("node {}: annotation {} changed meanwhile ({}), kept", existing.getMetadata().getName(), key, e.getCode());
    }
  }

  /** Adds or updates {@code values} among the config's annotations, leaving its spec and status alone. */
  void annotate(NodeNetworkConfig existing, Map<String, String> values) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (existing.getMetadata().getAnnotations() != null) {
      annotations.putAll(existing.getMetadata().getAnnotations());
    }
    annotations.putAll(values);
    String json = client.getKubernetesSerialization().asJson(List.of(
        Map.of("op", "add", "path", "/metadata/annotations", "value", annotations)));
    NodeNetworkConfig patched = client.resources(NodeNetworkConfig.class).resource(existing)
        .patch(PatchContext.of(PatchType.JSON), json);
    cache.updated(patched, existing);
    log.info("node {}: recorded {}", existing.getMetadata().getName(), values);
  }

  void delete(NodeNetworkConfig existing, String why) {
    client.resources(NodeNetworkConfig.class).withName(existing.getMetadata().getName()).delete();
    log.info("node {}: config deleted ({})", existing.getMetadata().getName(), why);
  }

  private NodeNetworkConfig patch(NodeNetworkConfig existing, NodeNetworkConfigSpec spec, Map<String, String> instance,
      Instant now) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (existing.getMetadata().getAnnotations() != null) {
      annotations.putAll(existing.getMetadata().getAnnotations());
    }
    annotations.putAll(instance);
    annotations.put(NodeProgress.HANDED_AT, now.toString());
    String json = client.getKubernetesSerialization().asJson(List.of(
        Map.of("op", "replace", "path", "/spec", "value", spec),
        Map.of("op", "add", "path", "/metadata/annotations", "value", annotations)));
    // Through resource(existing), not withName(): fabric8 GETs a named-only object before every
    // patch, which doubled the requests of a wave. The JSON patch itself carries no resourceVersion.
    NodeNetworkConfig patched = client.resources(NodeNetworkConfig.class).resource(existing)
        .patch(PatchContext.of(PatchType.JSON), json);
    cache.updated(patched, existing);
    return patched;
  }

  private NodeNetworkConfigSpec copy(NodeNetworkConfigSpec spec) {
    var s = client.getKubernetesSerialization();
    return s.unmarshal(s.asJson(spec), NodeNetworkConfigSpec.class);
  }
}
