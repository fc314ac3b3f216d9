package io.eniroute.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.crds.v1alpha1.Api;
import io.eniroute.crds.v1alpha1.Conditions;
import io.eniroute.crds.v1alpha1.NodeFailure;
import io.eniroute.crds.v1alpha1.NodeNetworkPolicyStatus;
import io.eniroute.crds.v1alpha1.PolicyPhase;
import io.eniroute.crds.v1alpha1.Reasons;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status of a deleted policy while its nodes revert and their EC2 addresses are released. */
class DeletingStatusTest {
  final PolicyStatusBuilder builder = new PolicyStatusBuilder();
  final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aReleaseEc2RefusesIsNamedInDegradedUntilNoReleaseIsRefused() {
    NodeFailure refused = new NodeFailure("node-1", "Unauthorized", "DetachNetworkInterface failed; grant the IAM policy");

    NodeNetworkPolicyStatus waiting = builder.deleting(null, 3, 1, List.of(refused), now);

    assertThat(waiting.getPhase()).isEqualTo(PolicyPhase.DELETING);
    assertThat(condition(waiting, Api.DEGRADED).getStatus()).isEqualTo("True");
    assertThat(condition(waiting, Api.DEGRADED).getReason()).isEqualTo("Unauthorized");
    assertThat(condition(waiting, Api.DEGRADED).getMessage()).contains("node-1", "IAM policy");
    assertThat(condition(waiting, Api.READY).getMessage()).contains("waiting for 1 node(s)", "node-1 Unauthorized");

    NodeNetworkPolicyStatus fixed = builder.deleting(waiting, 3, 1, List.of(), now.plusSeconds(30));

    assertThat(condition(fixed, Api.DEGRADED).getStatus()).isEqualTo("False");
    assertThat(condition(fixed, Api.DEGRADED).getReason()).isEqualTo(Reasons.REVERTING);
    assertThat(condition(fixed, Api.READY).getMessage()).doesNotContain("Unauthorized");
  }

  @Test
  void aDeletionWithoutRefusedReleasesLeavesTheRolloutsDegradedAsItWas() {
    NodeNetworkPolicyStatus before = builder.deleting(null, 2, 1, List.of(), now);
    before.getConditions().removeIf(c -> Api.DEGRADED.equals(c.getType()));
    Conditions.set(before.getConditions(), Api.DEGRADED, true, Reasons.NODES_FAILED,
        "1 node(s) failed generation 2", 2L, now);

    NodeNetworkPolicyStatus after = builder.deleting(before, 3, 1, List.of(), now.plusSeconds(1));

    assertThat(condition(after, Api.DEGRADED).getReason()).isEqualTo(Reasons.NODES_FAILED);
  }

  static Condition condition(NodeNetworkPolicyStatus s, String type) {
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }
}
