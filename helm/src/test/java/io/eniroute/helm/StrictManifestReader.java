package io.eniroute.helm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered YAML into the fabric8 typed model and refuses anything the model does not know.
 *
 * <p>Every fabric8 model class has a {@code @JsonAnySetter} that silently collects unknown
 * fields into {@code additionalProperties}, so FAIL_ON_UNKNOWN_PROPERTIES alone does nothing.
 * This reader removes the any-setter from every bean deserializer, so a misspelled or misplaced
 * field fails with Jackson's message naming the field and its path.
 */
final class StrictManifestReader {
  /** apiVersion/kind of every kind the chart may render, and its typed class. */
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
      Map.entry("v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
      Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
      // the uninstall guard's pre-delete hook
      Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
      Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
      Map.entry("apps/v1/DaemonSet", io.fabric8.kubernetes.api.model.apps.DaemonSet.class),
      Map.entry("policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", io.fabric8.kubernetes.api.model.rbac.ClusterRole.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class),
      Map.entry("rbac.authorization.k8s.io/v1/Role", io.fabric8.kubernetes.api.model.rbac.Role.class),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", io.fabric8.kubernetes.api.model.rbac.RoleBinding.class),
      Map.entry("admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy",
          io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy.class),
      Map.entry("admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding",
          io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding.class),
      Map.entry("apiextensions.k8s.io/v1/CustomResourceDefinition",
          io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class),
      Map.entry("monitoring.coreos.com/v1/ServiceMonitor", io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class),
      Map.entry("monitoring.coreos.com/v1/PrometheusRule", io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class),
      Map.entry("eniroute.io/v1alpha1/NodeNetworkPolicy", io.eniroute.crds.v1alpha1.NodeNetworkPolicy.class));

  private final ObjectMapper mapper;

  StrictManifestReader() {
    SimpleModule noAnySetter = new SimpleModule("no-any-setter");
    noAnySetter.setDeserializerModifier(new BeanDeserializerModifier() {
      @Override
      public BeanDeserializerBuilder updateBuilder(
          DeserializationConfig config, BeanDescription description, BeanDeserializerBuilder builder) {
        builder.setAnySetter(null);
        return builder;
      }
    });
    this.mapper = YAMLMapper.builder(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        // "8080" where the API wants an integer is rejected by the API server, so here too.
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .addModule(noAnySetter)
        .build();
  }

  /** Every non-empty document of a multi-document YAML stream, typed. */
  List<HasMetadata> readAll(String yaml) {
    List<HasMetadata> result = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = mapper.readerFor(JsonNode.class).readValues(yaml)) {
      int index = 0;
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        index++;
        if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
          continue;
        }
        result.add(read(doc, index));
      }
    } catch (IOException e) {
      throw new AssertionError("rendered YAML does not parse: " + e.getMessage(), e);
    }
    return result;
  }

  private HasMetadata read(JsonNode doc, int index) {
    String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
    Class<? extends HasMetadata> type = KINDS.get(key);
    String name = doc.path("metadata").path("name").asText("?");
    if (type == null) {
      throw new AssertionError("document " + index + " (" + name + ") has a kind the chart should not render: " + key);
    }
    try {
      return mapper.treeToValue(doc, type);
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      throw new AssertionError(key + " " + name + " does not fit the typed model: " + e.getOriginalMessage()
          + " at " + e.getPathReference(), e);
    } catch (IOException e) {
      throw new AssertionError(key + " " + name + " does not parse: " + e.getMessage(), e);
    }
  }
}
