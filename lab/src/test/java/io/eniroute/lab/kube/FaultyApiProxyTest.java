package io.eniroute.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The front answers what a rule says, as the real server would word it, and passes everything else through. */
@ExtendWith(RealApiServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultyApiProxyTest {
  private static final String NS = "default";
  private static final String CM = "/api/v1/namespaces/default/configmaps/front";

  private FaultyApiProxy front;
  private KubernetesClient admin;
  private KubernetesClient viaFront;

  @BeforeAll
  void start(ControlPlane plane) {
    admin = plane.adminClient();
    admin.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName("front-test")
        .endMetadata().build()).serverSideApply();
    admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("front-test")
        .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("cluster-admin")
        .endRoleRef().addNewSubject().withKind("ServiceAccount").withName("front-test").withNamespace(NS).endSubject().build())
        .serverSideApply();
    front = FaultyApiProxy.in(plane);
    Config c = plane.serviceAccountConfig(NS, "front-test");
    c.setMasterUrl(front.url());
    c.setRequestRetryBackoffLimit(0);
    viaFront = new KubernetesClientBuilder().withConfig(c).build();
  }

  @AfterAll
  void stop() {
    viaFront.close();
    front.close();
    admin.configMaps().inNamespace(NS).withName("front").delete();
    admin.rbac().clusterRoleBindings().withName("front-test").delete();
    admin.serviceAccounts().inNamespace(NS).withName("front-test").delete();
    admin.close();
  }

  private ConfigMap configMap(String value) {
    return new ConfigMapBuilder().withNewMetadata().withName("front").withNamespace(NS).endMetadata().addToData("v", value).build();
  }

  @Test
  void passesRequestsThroughAsTheServiceAccountAndAnswers409And500ThenTheRealAnswer() {
    viaFront.configMaps().inNamespace(NS).resource(configMap("1")).forceConflicts().serverSideApply();
    var conflict = front.inject(ApiFault.on("GET", CM).conflict(1));

    assertThatThrownBy(() -> viaFront.configMaps().inNamespace(NS).withName("front").get())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
          assertThat(e.getStatus().getMessage()).startsWith("Operation cannot be fulfilled on configmaps \"front\"");
        });
    front.inject(ApiFault.on("GET", CM).serverError(1));
    assertThatThrownBy(() -> viaFront.configMaps().inNamespace(NS).withName("front").get())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(500));

    assertThat(viaFront.configMaps().inNamespace(NS).withName("front").get().getData()).containsEntry("v", "1");
    assertThat(conflict.hits()).isEqualTo(1);
  }

  @Test
  void aConcurrentWriterMakesTheServerItselfAnswer409ToAGuardedUpdate() {
    ConfigMap seen = viaFront.configMaps().inNamespace(NS).resource(configMap("1")).forceConflicts().serverSideApply();
    var fault = front.inject(ApiFault.on("PUT", CM).concurrentWrite(1),
        () -> admin.configMaps().inNamespace(NS).withName("front").edit(c -> { c.getData().put("v", "other"); return c; }));

    seen.getData().put("v", "mine");
    assertThatThrownBy(() -> viaFront.configMaps().inNamespace(NS).resource(seen).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(fault.serverCodes()).containsExactly(409);
  }

  @Test
  void aGoneWatchGetsTheExpiredErrorEventAndAnInformerStillSeesLaterChanges() {
    String path = "/api/v1/namespaces/default/configmaps";
    var gone = front.inject(ApiFault.on("GET", path).watch(true).gone(1));
    var informer = viaFront.configMaps().inNamespace(NS).inform();
    try {
      await().atMost(Duration.ofSeconds(15)).until(gone::exhausted);
      viaFront.configMaps().inNamespace(NS).resource(configMap("after")).forceConflicts().serverSideApply();

      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(informer.getStore().getByKey(NS + "/front"))
          .isNotNull().satisfies(c -> assertThat(c.getData()).containsEntry("v", "after")));
    } finally {
      informer.close();
    }
  }

  @Test
  void aSlowAnswerComesLateAndIsTheServersOwn() {
    viaFront.configMaps().inNamespace(NS).resource(configMap("slow")).forceConflicts().serverSideApply();
    var slow = front.inject(ApiFault.on("GET", CM).slow(1, Duration.ofMillis(700)));

    long t0 = System.nanoTime();
    ConfigMap c = viaFront.configMaps().inNamespace(NS).withName("front").get();

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
    assertThat(c.getData()).containsEntry("v", "slow");
    assertThat(slow.serverCodes()).containsExactly(200);
  }
}
