package io.eniroute.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.crds.v1alpha1.NodeFailure;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicyStatus;
import io.eniroute.crds.v1alpha1.PolicyPhase;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusPacerTest {
  private static final Instant T0 = Instant.parse("2026-11-29T09:00:00Z");
  private final StatusPacer pacer = new StatusPacer(Duration.ofSeconds(1));

  private static NodeNetworkPolicyStatus status(PolicyPhase phase, int ready, String progressing) {
    NodeNetworkPolicyStatus s = new NodeNetworkPolicyStatus();
    s.setObservedGeneration(3L);
    s.setPhase(phase);
    s.setMatchedNodes(1000);
    s.setReadyNodes(ready);
    s.setUpdatedNodes(ready);
    s.setFailedNodes(0);
    s.setConditions(List.of(new ConditionBuilder().withType("Reconciling").withStatus(progressing)
        .withReason("Rolling").withMessage(ready + " of 1000 nodes ready").build()));
    return s;
  }

  @Test
  void progressCountsWaitForTheIntervalButAreNeverDropped() {
    NodeNetworkPolicyStatus written = status(PolicyPhase.PROGRESSING, 10, "True");
    assertThat(pacer.deferral("p", written, status(PolicyPhase.PROGRESSING, 11, "True"), T0)).as("nothing written yet").isEmpty();
    pacer.written("p", T0);

    assertThat(pacer.deferral("p", written, status(PolicyPhase.PROGRESSING, 12, "True"), T0.plusMillis(300)))
        .contains(Duration.ofMillis(700));
    assertThat(pacer.deferral("p", written, status(PolicyPhase.PROGRESSING, 12, "True"), T0.plusMillis(1000))).isEmpty();
  }

  @Test
  void anythingButProgressIsWrittenAtOnce() {
    pacer.written("p", T0);
    NodeNetworkPolicyStatus written = status(PolicyPhase.PROGRESSING, 10, "True");
    Instant soon = T0.plusMillis(100);

    assertThat(pacer.deferral("p", written, status(PolicyPhase.COMPLETE, 1000, "False"), soon)).as("phase").isEmpty();
    assertThat(pacer.deferral("p", written, status(PolicyPhase.PROGRESSING, 10, "False"), soon)).as("condition status").isEmpty();
    NodeNetworkPolicyStatus failing = status(PolicyPhase.PROGRESSING, 10, "True");
    failing.setFailingNodes(List.of(new NodeFailure("node-7", "RolledBack", "probe failed")));
    assertThat(pacer.deferral("p", written, failing, soon)).as("a failing node").isEmpty();
    NodeNetworkPolicyStatus newGeneration = status(PolicyPhase.PROGRESSING, 10, "True");
    newGeneration.setObservedGeneration(4L);
    assertThat(pacer.deferral("p", written, newGeneration, soon)).as("generation").isEmpty();
    assertThat(pacer.deferral("other", written, status(PolicyPhase.PROGRESSING, 11, "True"), soon)).as("another policy").isEmpty();
  }
}
