package io.eniroute.operator.reconciler;

import io.eniroute.crds.v1alpha1.NodeNetworkPolicy;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events. Policies are cluster-scoped, and the API server accepts Events about a
 * cluster-scoped object only in "default" (OperatorMain.EVENT_NAMESPACE), where
 * {@code kubectl describe nnp NAME} finds them. A write the server did not answer (5xx, 429, no
 * connection) is sent again under the same name, twice at most (a 409 then means an earlier
 * attempt got through), so one failed request loses no Event; after that it is logged, never
 * fatal: Events are a courtesy, the status is the record.
 */
public final class KubernetesEventRecorder implements EventRecorder {
  static final String COMPONENT = "eniroute-operator";
  private static final Logger log = LoggerFactory.getLogger(KubernetesEventRecorder.class);
  private static final int ATTEMPTS = 3;
  // short: the reconcile thread waits (at most 0.3 s, only while the server fails)
  private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

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
    for (int attempt = 1; ; attempt++) {
      try {
        client.v1().events().inNamespace(namespace).resource(event).create();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          return; // an attempt whose answer was lost got through
        }
        boolean unanswered = e.getCode() == 0 || e.getCode() == 429 || e.getCode() >= 500;
        if (!unanswered || attempt == ATTEMPTS) {
          log.warn("could not record event {} for policy {}: {}", reason, policy.getMetadata().getName(), e.getMessage());
          return;
        }
        pause(RETRY_PAUSE.multipliedBy(attempt));
      }
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
