package io.eniroute.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Recorded mock-server requests become the RBAC permission the API server would check. */
class ApiRequestTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GET    | /apis/eniroute.io/v1alpha1/nodenetworkconfigs?fieldSelector=metadata.name%3Dn1&watch=true | watch eniroute.io nodenetworkconfigs",
      "GET    | /apis/eniroute.io/v1alpha1/nodenetworkconfigs?fieldSelector=metadata.name%3Dn1 | list eniroute.io nodenetworkconfigs",
      "GET    | /apis/eniroute.io/v1alpha1/nodenetworkconfigs/n1 | get eniroute.io nodenetworkconfigs",
      "PATCH  | /apis/eniroute.io/v1alpha1/nodenetworkconfigs/n1/status | patch eniroute.io nodenetworkconfigs/status",
      "PUT    | /apis/eniroute.io/v1alpha1/nodenetworkpolicies/p1/finalizers | update eniroute.io nodenetworkpolicies/finalizers",
      "POST   | /apis/eniroute.io/v1alpha1/nodenetworkconfigs | create eniroute.io nodenetworkconfigs",
      "DELETE | /apis/eniroute.io/v1alpha1/nodenetworkconfigs/n1 | delete eniroute.io nodenetworkconfigs",
      "GET    | /api/v1/nodes/n1 | get core nodes",
      "GET    | /api/v1/nodes?watch=1&resourceVersion=5 | watch core nodes",
      "POST   | /api/v1/namespaces/default/events | create core events",
      "POST   | /apis/events.k8s.io/v1/namespaces/default/events | create events.k8s.io events",
      "PUT    | /apis/coordination.k8s.io/v1/namespaces/eniroute-system/leases/eniroute-operator | update coordination.k8s.io leases",
      "GET    | /api/v1/namespaces/kube-system | get core namespaces",
  })
  void mapsMethodAndPathToVerbGroupAndResource(String method, String path, String expected) {
    assertThat(ApiRequest.permission("operator", method, path).toString()).isEqualTo("operator " + expected);
  }

  @Test
  void recordedLinesMayBeRawRequestsOrPermissions() {
    assertThat(PermissionFiles.parseLine("agent PATCH /apis/eniroute.io/v1alpha1/nodenetworkconfigs/n1/status"))
        .isEqualTo(Permission.parse("agent patch eniroute.io nodenetworkconfigs/status"));
    assertThat(PermissionFiles.parseLine("# comment")).isNull();
    assertThatThrownBy(() -> PermissionFiles.parseLine("agent patch nodenetworkconfigs"))
        .hasMessageContaining("component verb group resource");
    assertThatThrownBy(() -> PermissionFiles.parseLine("agent escalate rbac.authorization.k8s.io roles"))
        .hasMessageContaining("unknown verb 'escalate'");
  }
}
