package io.eniroute.helm;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an HTTP request to the Kubernetes API (as a mock server records it) into the RBAC verb,
 * group and resource it needs, the way the API server's request-info resolver does.
 */
final class ApiRequest {
  // /api/v1[/namespaces/ns]/resource[/name[/sub]]  and  /apis/group/version[/namespaces/ns]/resource[/name[/sub]]
  private static final Pattern PATH = Pattern.compile(
      "^/(?:api/(?<coreVersion>[^/]+)|apis/(?<group>[^/]+)/(?<version>[^/]+))"
          + "(?:/namespaces/(?<ns>[^/]+))?/(?<resource>[^/?]+)(?:/(?<name>[^/?]+))?(?:/(?<sub>[^/?]+))?/?(?:\\?(?<query>.*))?$");

  private ApiRequest() {}

  /** The permission a component needs for METHOD PATH, e.g. GET /apis/eniroute.io/v1alpha1/nodenetworkconfigs?watch=true. */
  static Permission permission(String component, String method, String pathAndQuery) {
    Matcher m = PATH.matcher(pathAndQuery);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Kubernetes resource path: " + pathAndQuery);
    }
    String resource = m.group("resource");
    String name = m.group("name");
    String group = m.group("group") == null ? "" : m.group("group");
    String sub = m.group("sub");
    String query = m.group("query") == null ? "" : m.group("query");
    String verb = verb(method.toUpperCase(Locale.ROOT), name != null, query);
    return new Permission(component, verb, group, sub == null ? resource : resource + "/" + sub);
  }

  private static String verb(String method, boolean named, String query) {
    boolean watch = query.matches("(^|.*&)watch=(true|1)(&.*|$)");
    return switch (method) {
      case "GET", "HEAD" -> watch ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> throw new IllegalArgumentException("no RBAC verb for HTTP " + method);
    };
  }
}
