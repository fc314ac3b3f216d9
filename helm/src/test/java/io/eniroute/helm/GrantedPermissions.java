package io.eniroute.helm;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the rendered (Cluster)Roles bound to one service account grant, rule by rule. */
final class GrantedPermissions {
  private final Manifests manifests;

  GrantedPermissions(Manifests manifests) {
    this.manifests = manifests;
  }

  /** Every (verb, group, resource) the service account namespace/name is granted. */
  Set<Permission> of(String component, String namespace, String serviceAccount) {
    Set<Permission> result = new LinkedHashSet<>();
    for (PolicyRule rule : rulesBoundTo(namespace, serviceAccount)) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            result.add(new Permission(component, verb, group, resource));
          }
        }
      }
    }
    return result;
  }

  /** Rules bound to the account, for the no-wildcard/no-extras checks. */
  List<PolicyRule> rulesBoundTo(String namespace, String serviceAccount) {
    List<PolicyRule> rules = new ArrayList<>();
    for (ClusterRoleBinding b : manifests.all(ClusterRoleBinding.class)) {
      if (binds(b.getSubjects(), namespace, serviceAccount)) {
        rules.addAll(clusterRole(b.getRoleRef()).getRules());
      }
    }
    for (RoleBinding b : manifests.all(RoleBinding.class)) {
      if (binds(b.getSubjects(), namespace, serviceAccount)) {
        rules.addAll(b.getRoleRef().getKind().equals("ClusterRole")
            ? clusterRole(b.getRoleRef()).getRules()
            : role(b.getRoleRef(), b.getMetadata().getNamespace()).getRules());
      }
    }
    return rules;
  }

  private static boolean binds(List<Subject> subjects, String namespace, String serviceAccount) {
    return subjects.stream().anyMatch(s -> s.getKind().equals("ServiceAccount")
        && s.getName().equals(serviceAccount) && namespace.equals(s.getNamespace()));
  }

  private ClusterRole clusterRole(RoleRef ref) {
    return manifests.all(ClusterRole.class).stream()
        .filter(r -> r.getMetadata().getName().equals(ref.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("binding refers to ClusterRole " + ref.getName() + " that the chart does not render"));
  }

  private Role role(RoleRef ref, String namespace) {
    return manifests.all(Role.class).stream()
        .filter(r -> r.getMetadata().getName().equals(ref.getName()) && namespace.equals(r.getMetadata().getNamespace()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("binding refers to Role " + ref.getName() + " that the chart does not render"));
  }
}
