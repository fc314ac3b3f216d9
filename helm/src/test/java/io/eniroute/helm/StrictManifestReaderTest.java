package io.eniroute.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks the chart tests rely on must themselves catch what they claim to catch. */
class StrictManifestReaderTest {
  private final StrictManifestReader reader = new StrictManifestReader();

  @Test
  void readsKnownKindsIntoTheTypedModel() {
    List<HasMetadata> objects = reader.readAll("""
        # Source: x
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: op}
        spec:
          replicas: 2
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec: {containers: [{name: c, image: i}]}
        ---
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: sa}
        """);
    assertThat(objects).hasSize(2);
    assertThat(((Deployment) objects.get(0)).getSpec().getReplicas()).isEqualTo(2);
    assertThat(objects.get(1)).isInstanceOf(ServiceAccount.class);
  }

  @Test
  void aMisspelledFieldFailsNamingItAndItsPath() {
    assertThatThrownBy(() -> reader.readAll("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: op}
        spec:
          replica: 2
          selector: {matchLabels: {a: b}}
        """))
        .hasMessageContaining("Deployment op")
        .hasMessageContaining("\"replica\"")
        .hasMessageContaining("spec");
  }

  @Test
  void aFieldAtTheWrongLevelFails() {
    assertThatThrownBy(() -> reader.readAll("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: ag}
        spec:
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec:
              containers:
                - name: c
                  image: i
                  hostNetwork: true
        """))
        .hasMessageContaining("hostNetwork");
  }

  @Test
  void aStringWhereTheApiWantsAnIntegerFails() {
    assertThatThrownBy(() -> reader.readAll("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: op}
        spec:
          replicas: "2"
        """))
        .hasMessageContaining("replicas");
  }

  @Test
  void anUnexpectedKindFails() {
    assertThatThrownBy(() -> reader.readAll("""
        apiVersion: v1
        kind: Secret
        metadata: {name: s}
        """))
        .hasMessageContaining("v1/Secret");
  }

  @Test
  void scannerFindsFieldsParkedInAdditionalProperties() {
    ServiceAccount sa = new ServiceAccountBuilder().withNewMetadata().withName("sa").endMetadata().build();
    AdditionalPropertiesScanner scanner = new AdditionalPropertiesScanner();
    assertThat(scanner.scan(sa)).isEmpty();

    sa.getMetadata().setAdditionalProperty("annotatons", "typo");
    assertThat(scanner.scan(sa)).singleElement().asString()
        .contains(".metadata")
        .contains("annotatons");
  }
}
