package io.eniroute.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import io.eniroute.operator.rollout.NodeProgress.Kind;
import io.eniroute.operator.rollout.RolloutPlanner.OwnedNode;
import io.eniroute.operator.rollout.RolloutPlanner.Plan;
import io.eniroute.operator.testing.SimulatedAgents;
import io.eniroute.operator.testing.SimulatedAgents.Behaviour;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planner's decisions from hand-built cluster states (no API server). */
class RolloutPlannerTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant NOW = T0.plusSeconds(30);
  final RolloutPlanner planner = new RolloutPlanner();

  @Test
  void firstGenerationStartsWithASingleCanary() {
    Plan plan = planner.plan(settings(2, 3, 0), nodes(10, i -> null), NOW);
    assertThat(plan.toHand()).containsExactly("n00");
    assertThat(plan.firstHandOut()).isTrue();
  }

  @Test
  void canaryInFlightBlocksEverythingElse() {
    Plan plan = planner.plan(settings(2, 3, 0), nodes(10, i -> i == 0 ? config(2, Behaviour.SILENT) : config(1, Behaviour.APPLY)), NOW);
    assertThat(plan.toHand()).isEmpty();
    assertThat(plan.updating()).isEqualTo(1);
    assertThat(plan.firstHandOut()).isFalse();
  }

  @Test
  void afterTheCanaryWavesFillMaxUnavailableMinusUpdatingAndFailed() {
    // n00 applied, n01 updating, n02 failed (tolerated: maxFailures 1) -> 4 - 1 - 1 = 2 slots.
    Plan plan = planner.plan(settings(2, 4, 1), nodes(10, i -> switch (i) {
      case 0 -> config(2, Behaviour.APPLY);
      case 1 -> config(2, Behaviour.SILENT);
      case 2 -> config(2, Behaviour.ROLL_BACK);
      default -> config(1, Behaviour.APPLY);
    }), NOW);
    assertThat(plan.toHand()).containsExactly("n03", "n04");
    assertThat(plan.failed()).isEqualTo(1);
    assertThat(plan.halted()).isFalse();
  }

  @Test
  void moreFailuresThanAllowedHaltsAndHandsOutNothing() {
    Plan plan = planner.plan(settings(2, 5, 0), nodes(6, i -> switch (i) {
      case 0 -> config(2, Behaviour.APPLY);
      case 1 -> config(2, Behaviour.ROLL_BACK);
      default -> config(1, Behaviour.APPLY);
    }), NOW);
    assertThat(plan.halted()).isTrue();
    assertThat(plan.toHand()).isEmpty();
    assertThat(plan.failures()).singleElement().satisfies(f -> {
      assertThat(f.node()).isEqualTo("n01");
      assertThat(f.reason()).isEqualTo("RolledBack");
    });
  }

  @Test
  void silenceBeyondTheNodeTimeoutIsAFailure() {
    List<OwnedNode> nodes = nodes(3, i -> i == 0 ? config(2, Behaviour.SILENT) : config(1, Behaviour.APPLY));
    Plan before = planner.plan(settings(2, 1, 0), nodes, T0.plusSeconds(59));
    Plan after = planner.plan(settings(2, 1, 0), nodes, T0.plusSeconds(61));
    assertThat(before.progress().get(0).kind()).isEqualTo(Kind.UPDATING);
    assertThat(before.nextDeadline()).contains(T0.plusSeconds(60));
    assertThat(after.progress().get(0).kind()).isEqualTo(Kind.FAILED);
    assertThat(after.progress().get(0).reason()).isEqualTo("Timeout");
    assertThat(after.halted()).isTrue();
  }

  @Test
  void anOldApplyReportDoesNotCountForANewSpec() {
    NodeNetworkConfig c = config(2, Behaviour.APPLY);
    c.getMetadata().setGeneration(c.getMetadata().getGeneration() + 1); // spec changed since the report
    assertThat(NodeProgress.of("n", c, 2, Duration.ofMinutes(1), null, NOW).kind()).isEqualTo(Kind.UPDATING);
  }

  @Test
  void nodesThatFailedTheOldGenerationAreRetriedByTheNewOne() {
    Plan plan = planner.plan(settings(3, 2, 0), nodes(3, i -> switch (i) {
      case 0 -> config(3, Behaviour.APPLY);
      case 1 -> config(2, Behaviour.ROLL_BACK);
      default -> config(2, Behaviour.APPLY);
    }), NOW);
    assertThat(plan.halted()).isFalse();
    assertThat(plan.toHand()).containsExactly("n01", "n02");
  }

  @Test
  void joinersWaitForTheWavesThenGetTheGenerationAtOnce() {
    List<OwnedNode> during = new ArrayList<>(nodes(3, i -> i == 0 ? config(2, Behaviour.APPLY) : i == 1 ? config(2, Behaviour.SILENT) : config(1, Behaviour.APPLY)));
    during.add(new OwnedNode("late-a", T0.plusSeconds(5), null, false));
    during.add(new OwnedNode("late-b", T0.plusSeconds(6), null, false));
    Plan waiting = planner.plan(settings(2, 1, 0), during, NOW);
    assertThat(waiting.toHand()).isEmpty(); // n01 updating fills maxUnavailable; joiners wait

    List<OwnedNode> done = new ArrayList<>(nodes(3, i -> config(2, Behaviour.APPLY)));
    done.add(new OwnedNode("late-a", T0.plusSeconds(5), null, false));
    done.add(new OwnedNode("late-b", T0.plusSeconds(6), null, false));
    assertThat(planner.plan(settings(2, 1, 0), done, NOW).toHand()).containsExactly("late-a", "late-b");
  }

  @Test
  void nodesHeldByAnotherPolicyAreNotHandedOut() {
    List<OwnedNode> nodes = List.of(new OwnedNode("a", T0.minusSeconds(60), null, true), new OwnedNode("b", T0.minusSeconds(60), null, false));
    assertThat(planner.plan(settings(1, 1, 0), nodes, NOW).toHand()).containsExactly("b");
  }

  @Test
  void maxUnavailableResolvesIntegersAndRoundsPercentagesUp() {
    assertThat(RolloutPlanner.resolve(new IntOrString(3), 10)).isEqualTo(3);
    assertThat(RolloutPlanner.resolve(new IntOrString("10%"), 1000)).isEqualTo(100);
    assertThat(RolloutPlanner.resolve(new IntOrString("10%"), 15)).isEqualTo(2);
    assertThat(RolloutPlanner.resolve(new IntOrString("1%"), 3)).isEqualTo(1);
    assertThat(RolloutPlanner.resolve(null, 3)).isEqualTo(1);
    assertThatThrownBy(() -> RolloutPlanner.resolve(new IntOrString("ten"), 3))
        .hasMessageContaining("spec.rollout.maxUnavailable").hasMessageContaining("10%");
  }

  // ---- helpers

  static RolloutPlanner.Rules settings(long generation, int maxUnavailable, int maxFailures) {
    return new RolloutPlanner.Rules(generation, new IntOrString(maxUnavailable), maxFailures, Duration.ofSeconds(60), null);
  }

  static List<OwnedNode> nodes(int count, java.util.function.IntFunction<NodeNetworkConfig> config) {
    List<OwnedNode> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      NodeNetworkConfig c = config.apply(i);
      if (c != null) {
        c.getMetadata().setName(String.format("n%02d", i));
      }
      out.add(new OwnedNode(String.format("n%02d", i), T0.minusSeconds(3600), c, false));
    }
    return out;
  }

  /** A config handed {@code generation} at T0 on which the agent did {@code b} (SILENT: no report yet). */
  static NodeNetworkConfig config(long generation, Behaviour b) {
    NodeNetworkConfig c = new NodeNetworkConfig();
    c.setMetadata(new ObjectMetaBuilder().withName("n").withGeneration(generation * 2)
        .withAnnotations(Map.of(NodeProgress.HANDED_AT, T0.toString())).build());
    NodeNetworkConfigSpec spec = new NodeNetworkConfigSpec();
    spec.setPolicy("p");
    spec.setPolicyGeneration(generation);
    spec.setState(ConfigState.PRESENT);
    c.setSpec(spec);
    if (b != Behaviour.SILENT) {
      c.setStatus(SimulatedAgents.statusFor(c, b));
    }
    return c;
  }
}
