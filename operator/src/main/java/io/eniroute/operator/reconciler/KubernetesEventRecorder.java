package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events. Policies are cluster-scoped, and the API server accepts Events about a
 * cluster-scoped object only in "default" (OperatorMain.EVENT_NAMESPACE), where
 * {@code kubectl describe nnp NAME} finds them. A failed write is logged, never fatal: Events are
 * a courtesy, the status is the record.
 */
public final class KubernetesEventRecorder implements EventRecorder {
  static final String COMPONENT = "eniroute-operator";
  private static final Logger log = LoggerFactory.getLogger(KubernetesEventRecorder.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final String namespace;

  public KubernetesEventRecorder(KubernetesClient client, Clock clock, String namespace) {
    this.client = client;
    this.clock = clock;
    this.namespace = namespace;
  }

  @Override
  public void normal(NodeNetworkPolicy policy, String reason, String message) {
    record(policy, "Normal", reason, message);
  }

  @Override
  public void warning(NodeNetworkPolicy policy, String reason, String message) {
    record(policy, "Warning", reason, message);
  }

  private void record(NodeNetworkPolicy policy, String type, String reason, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    var event = new EventBuilder()
        .withNewMetadata()
          .withNamespace(namespace)
          .withName(policy.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(policy.getApiVersion()).withKind(policy.getKind())
            .withName(policy.getMetadata().getName()).withUid(policy.getMetadata().getUid()).build())
        .withType(type).withReason(reason).withMessage(message)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .withReportingComponent(COMPONENT).withNewSource().withComponent(COMPONENT).endSource()
        .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      log.warn("could not record event {} for policy {}: {}", reason, policy.getMetadata().getName(), e.getMessage());
    }
  }
}
