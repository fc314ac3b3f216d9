package io.eniroute.crds;

import static org.assertj.core.api.Assertions.assertThat;

import io.eniroute.crds.v1alpha1.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00.700Z");
  private static final Instant T1 = T0.plusSeconds(60);

  @Test
  void transitionTimeMovesOnlyWhenTheStatusFlips() {
    List<Condition> c = Conditions.copyOf(null);
    Conditions.set(c, "Ready", false, "RollingOut", "1/3 applied", 4L, T0);
    Conditions.set(c, "Ready", false, "RollingOut", "2/3 applied", 5L, T1);
    assertThat(c).singleElement().satisfies(r -> {
      assertThat(r.getLastTransitionTime()).isEqualTo("2026-12-01T08:00:00Z");
      assertThat(r.getMessage()).isEqualTo("2/3 applied");
      assertThat(r.getObservedGeneration()).isEqualTo(5L);
    });
    Conditions.set(c, "Ready", true, "AllNodesApplied", "3/3 applied", 5L, T1);
    assertThat(c.get(0).getLastTransitionTime()).isEqualTo("2026-12-01T08:01:00Z");
  }

  @Test
  void copyLeavesThePreviousListAloneAndArrangeKeepsOnlyTheGivenTypesInOrder() {
    List<Condition> previous = Conditions.copyOf(null);
    Conditions.set(previous, "Progressing", true, "RollingOut", "old type", 1L, T0);
    Conditions.set(previous, "Stalled", false, "NotStalled", "", 1L, T0);
    List<Condition> next = Conditions.copyOf(previous);
    Conditions.set(next, "Ready", true, "AllNodesApplied", "", 1L, T1);
    Conditions.set(next, "Stalled", true, "RolloutHalted", "", 1L, T1);
    Conditions.arrange(next, List.of("Ready", "Stalled"));
    assertThat(next).extracting(Condition::getType).containsExactly("Ready", "Stalled");
    assertThat(previous).extracting(Condition::getStatus).containsExactly("True", "False");
    assertThat(Conditions.find(next, "Stalled")).get().extracting(Condition::getReason).isEqualTo("RolloutHalted");
  }

  @Test
  void aMissingReasonBecomesUnknownSoTheApiServerAcceptsTheCondition() {
    List<Condition> c = Conditions.copyOf(null);
    Conditions.set(c, "Degraded", true, null, null, 1L, T0);
    assertThat(c.get(0).getReason()).isEqualTo("Unknown");
    assertThat(c.get(0).getMessage()).isEmpty();
  }
}
