package io.eniroute.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eniroute.lab.kube.ControlPlane;
import io.eniroute.lab.kube.RealApiServer;
import io.eniroute.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * After a helm upgrade the new operator meets the CRDs the old chart installed: on the real API
 * server, as the operator's ServiceAccount, an older CRD (one field missing) is updated, or start
 * is refused with the sentence that says how to fix it; a current CRD is left untouched.
 */
@ExtendWith(RealApiServer.class)
class CrdGuardTest {
  private static final String POLICIES = "nodenetworkpolicies.eniroute.io";

  private TestCluster cluster;
  private KubernetesClient operator;

  @BeforeEach
  void setUp(ControlPlane plane) {
    cluster = new TestCluster(plane);
    operator = cluster.operatorClient();
  }

  @AfterEach
  void restoreTheCurrentCrds() {
    new CrdGuard(cluster.client(), true).ensureCurrent();
    operator.close();
    cluster.close();
  }

  @Test
  void currentCrdsAreLeftUntouched() {
    int patchesBefore = crdPatches();
    List<CrdGuard.Outcome> outcomes = new CrdGuard(operator, true).ensureCurrent();
    assertThat(outcomes).allSatisfy(o -> {
      assertThat(o.missingFields()).isEmpty();
      assertThat(o.updated()).isFalse();
    });
    assertThat(crdPatches()).as("CRD patches the server saw").isEqualTo(patchesBefore);
  }

  @Test
  void anOlderCrdIsUpdatedByTheOperatorWithTheChartsPermissions() {
    installOlderPolicyCrd();

    List<CrdGuard.Outcome> outcomes = new CrdGuard(operator, true).ensureCurrent();

    assertThat(outcomes).filteredOn(o -> o.crd().equals(POLICIES)).singleElement().satisfies(o -> {
      assertThat(o.updated()).isTrue();
      assertThat(o.missingFields()).containsExactly("v1alpha1.spec.rollout.nodeTimeoutSeconds");
    });
    assertThat(rollout(cluster.client().apiextensions().v1().customResourceDefinitions().withName(POLICIES).get())
        .getProperties()).containsKey("nodeTimeoutSeconds");
    assertThat(new CrdGuard(operator, true).ensureCurrent()).as("a second start finds nothing to do")
        .noneMatch(CrdGuard.Outcome::updated);
  }

  @Test
  void anOlderCrdWithManageCrdsOffRefusesStartNamingTheFieldAndTheFix() {
    installOlderPolicyCrd();

    CrdGuard.OutdatedCrdException refused = catchThrowableOfType(CrdGuard.OutdatedCrdException.class,
        () -> new CrdGuard(operator, false).ensureCurrent());

    assertThat(refused.getMessage()).isEqualTo("the installed CRD nodenetworkpolicies.eniroute.io is older than this "
        + "operator (it lacks v1alpha1.spec.rollout.nodeTimeoutSeconds) and --manage-crds is off: run kubectl apply "
        + "--server-side -f crds/ from this eniroute version, or let the operator update it (--manage-crds, chart value "
        + "operator.manageCrds=true)");
  }

  /** The bundled CRD without one field, applied as an earlier chart version would have left it. */
  private void installOlderPolicyCrd() {
    CustomResourceDefinition older = CrdGuard.bundled(POLICIES);
    rollout(older).getProperties().remove("nodeTimeoutSeconds");
    cluster.client().apiextensions().v1().customResourceDefinitions().resource(older)
        .fieldManager("helm").forceConflicts().serverSideApply();
  }

  private static JSONSchemaProps rollout(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()
        .getProperties().get("spec").getProperties().get("rollout");
  }

  private int crdPatches() {
    return (int) cluster.plane().audit().orElseThrow().calls().stream()
        .filter(c -> c.resource().equals("customresourcedefinitions") && c.verb().equals("patch")).count();
  }
}
