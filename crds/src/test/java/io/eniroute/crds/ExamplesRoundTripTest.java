package io.eniroute.crds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example reads into the Java model with fabric8's serialization and loses nothing: each
 * value of the document, as the API server would store it (defaults applied), comes back out of
 * the model. Along the way this proves the model's Java defaults equal the CRD's defaults, which
 * matters for the standalone agent: it reads the file with no API server to default it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesRoundTripTest {
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final StructuralDefaulter defaulter = new StructuralDefaulter();
  private final Map<String, JsonNode> schemaByKind = GeneratedCrd.loadAll().stream()
      .collect(Collectors.toMap(GeneratedCrd::kind, GeneratedCrd::schema));

  List<Path> examples() {
    return SampleDocuments.examples();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleSurvivesTheJavaModel(Path example) {
    assertSurvivesModel(SampleDocuments.read(example));
  }

  @Test
  void javaDefaultsEqualCrdDefaults() {
    assertSurvivesModel("""
        apiVersion: eniroute.io/v1alpha1
        kind: NodeNetworkPolicy
        metadata: {name: defaults}
        spec: {nodeSelector: {}, interfaces: {}, routing: {}, safety: {}, rollout: {}, aws: {elasticIps: {poolTags: {a: b}}}}
        """);
    assertSurvivesModel("""
        apiVersion: eniroute.io/v1alpha1
        kind: NodeNetworkConfig
        metadata: {name: defaults}
        spec: {interfaces: {}, routing: {}, safety: {}, addresses: [{mac: "0a:00:00:00:00:01"}]}
        """);
  }

  @Test
  void standaloneNodeConfigIsUsableAsAgentConfig() {
    NodeNetworkConfig config = serialization.unmarshal(
        SampleDocuments.read(SampleDocuments.EXAMPLES.resolve("nodeconfig-standalone.yaml")), NodeNetworkConfig.class);

    assertThat(config.getMetadata().getName()).isEqualTo("ip-10-0-0-10");
    assertThat(config.getSpec().getState()).isEqualTo(ConfigState.PRESENT);
    assertThat(config.getSpec().getRouting().getTableBase()).isEqualTo(10000L);
    assertThat(config.getSpec().getSafety().getApiServerProbe()).isFalse();
    assertThat(config.getSpec().getAddresses()).extracting(InterfaceAddresses::getMac)
        .containsExactly("0a:00:00:00:00:10", "0a:00:00:00:00:11");
    assertThat(config.getSpec().getAddresses().get(1).getAddresses()).containsExactly("10.0.0.11/24", "10.0.0.131/24");
    assertThat(config.getSpec().getAddresses().get(1).getDeviceIndex()).isEqualTo(1);
  }

  @Test
  void absentNodeConfigReadsAsAbsent() {
    NodeNetworkConfig config = serialization.unmarshal(
        SampleDocuments.read(SampleDocuments.EXAMPLES.resolve("nodeconfig-absent.yaml")), NodeNetworkConfig.class);
    assertThat(config.getSpec().getState()).isEqualTo(ConfigState.ABSENT);
    assertThat(config.getSpec().getPolicy()).isEqualTo("multi-eip");
  }

  @Test
  void fullPolicyKeepsIntOrStringAndAwsSettings() {
    NodeNetworkPolicy policy = serialization.unmarshal(
        SampleDocuments.read(SampleDocuments.EXAMPLES.resolve("policy-aws-eip.yaml")), NodeNetworkPolicy.class);
    assertThat(policy.getSpec().getRollout().getMaxUnavailable().getStrVal()).isEqualTo("25%");
    assertThat(policy.getSpec().getAws().getInterfacesPerNode()).isEqualTo(2);
    assertThat(policy.getSpec().getAws().getSecondaryIpsPerInterface()).isEqualTo(1);
    assertThat(policy.getSpec().getAws().getElasticIps().getPoolTags()).containsEntry("eniroute.io/pool", "web");
  }

  private void assertSurvivesModel(String yaml) {
    JsonNode document = CrdValidators.parse(yaml);
    String kind = document.path("kind").asText();
    Class<?> type = Map.of("NodeNetworkPolicy", NodeNetworkPolicy.class, "NodeNetworkConfig", NodeNetworkConfig.class).get(kind);
    assertThat(type).as("kind %s", kind).isNotNull();

    JsonNode stored = defaulter.apply(document, schemaByKind.get(kind));
    JsonNode viaModel = CrdValidators.parse(serialization.asJson(serialization.unmarshal(yaml, type)));

    List<String> lost = new ArrayList<>();
    collectLost(stored, viaModel, "", lost);
    assertThat(lost).as("values that did not survive the Java model").isEmpty();
  }

  /** Every leaf of expected must be in actual with the same value (numbers compared by value). */
  private static void collectLost(JsonNode expected, JsonNode actual, String path, List<String> lost) {
    if (expected.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        collectLost(field.getValue(), actual.path(field.getKey()), path + "." + field.getKey(), lost);
      }
    } else if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        lost.add(path + ": expected " + expected + " but was " + actual);
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        collectLost(expected.get(i), actual.get(i), path + "[" + i + "]", lost);
      }
    } else {
      boolean same = expected.isNumber() && actual.isNumber()
          ? expected.decimalValue().compareTo(actual.decimalValue()) == 0
          : expected.equals(actual);
      if (!same) {
        lost.add(path + ": expected " + expected + " but was " + actual);
      }
    }
  }
}
