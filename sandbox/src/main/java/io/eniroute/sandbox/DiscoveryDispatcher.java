package io.eniroute.sandbox;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;

/**
 * The CRUD mock server plus the API discovery documents kubectl needs ({@code /api},
 * {@code /apis}, the resource lists), so that {@code kubectl get nnp,nnc,nodes} works against
 * the sandbox. Only the kinds the sandbox uses are listed.
 */
final class DiscoveryDispatcher extends KubernetesCrudDispatcher {
  private static final String VERBS = "[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]";

  private final Map<String, String> documents = Map.of(
      "/api", """
          {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[]}""",
      "/apis", """
          {"kind":"APIGroupList","apiVersion":"v1","groups":[%s,%s,%s]}""".formatted(
          group("eniroute.io", "v1alpha1"), group("apiextensions.k8s.io", "v1"), group("coordination.k8s.io", "v1")),
      "/api/v1", resources("v1", List.of(
          resource("nodes", "Node", false, "[\"no\"]"),
          resource("namespaces", "Namespace", false, "[\"ns\"]"),
          resource("events", "Event", true, "[\"ev\"]"))),
      "/apis/eniroute.io/v1alpha1", resources("eniroute.io/v1alpha1", List.of(
          resource("nodenetworkpolicies", "NodeNetworkPolicy", false, "[\"nnp\"]"),
          resource("nodenetworkpolicies/status", "NodeNetworkPolicy", false, "[]"),
          resource("nodenetworkconfigs", "NodeNetworkConfig", false, "[\"nnc\"]"),
          resource("nodenetworkconfigs/status", "NodeNetworkConfig", false, "[]"))),
      "/apis/apiextensions.k8s.io/v1", resources("apiextensions.k8s.io/v1", List.of(
          resource("customresourcedefinitions", "CustomResourceDefinition", false, "[\"crd\"]"))),
      "/apis/coordination.k8s.io/v1", resources("coordination.k8s.io/v1", List.of(
          resource("leases", "Lease", true, "[]"))));

  DiscoveryDispatcher() {
    super(List.of());
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath() == null ? "" : request.getPath().split("\\?", 2)[0];
    String doc = documents.get(path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path);
    if (doc != null && "GET".equals(request.getMethod())) {
      return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(doc);
    }
    return super.dispatch(request);
  }

  private static String group(String name, String version) {
    return """
        {"name":"%s","versions":[{"groupVersion":"%s/%s","version":"%s"}],"preferredVersion":{"groupVersion":"%s/%s","version":"%s"}}"""
        .formatted(name, name, version, version, name, version, version);
  }

  private static String resources(String groupVersion, List<String> list) {
    return """
        {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"%s","resources":[%s]}"""
        .formatted(groupVersion, String.join(",", list));
  }

  private static String resource(String name, String kind, boolean namespaced, String shortNames) {
    return """
        {"name":"%s","singularName":"","namespaced":%s,"kind":"%s","verbs":%s,"shortNames":%s}"""
        .formatted(name, namespaced, kind, VERBS, shortNames);
  }
}
