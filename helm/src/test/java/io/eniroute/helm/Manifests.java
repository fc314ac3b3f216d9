package io.eniroute.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;

/** The typed objects one helm render produced, with lookups the tests need. */
record Manifests(List<HasMetadata> objects) {

  static Manifests render(Helm helm, ValueSet values) {
    return new Manifests(new StrictManifestReader().readAll(helm.render(values.files())));
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The only object of a kind whose name ends with {@code suffix} (the release name comes first). */
  <T extends HasMetadata> T named(Class<T> type, String suffix) {
    List<T> found = all(type).stream().filter(o -> o.getMetadata().getName().endsWith(suffix)).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + " named *" + suffix + ", found "
          + all(type).stream().map(o -> o.getMetadata().getName()).toList());
    }
    return found.get(0);
  }

  /** The only object of a kind; fails listing what there is otherwise. */
  <T extends HasMetadata> T single(Class<T> type) {
    List<T> found = all(type);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size() + ": "
          + found.stream().map(o -> o.getMetadata().getName()).toList());
    }
    return found.get(0);
  }

  Deployment operator() {
    return single(Deployment.class);
  }

  DaemonSet agent() {
    return single(DaemonSet.class);
  }

  /** Objects of a component (label app.kubernetes.io/component). */
  <T extends HasMetadata> List<T> ofComponent(Class<T> type, String component) {
    return all(type).stream()
        .filter(o -> o.getMetadata().getLabels() != null
            && component.equals(o.getMetadata().getLabels().get("app.kubernetes.io/component")))
        .toList();
  }
}
