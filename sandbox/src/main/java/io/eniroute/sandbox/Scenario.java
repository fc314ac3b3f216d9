package io.eniroute.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs the steps in order. A step that throws ends the scenario: later steps build on it. */
public final class Scenario {
  private final List<ScenarioStep> steps;

  public Scenario(List<ScenarioStep> steps) {
    this.steps = List.copyOf(steps);
  }

  /** The five steps, between setting up the VPC CNI co-tenant and checking it came through unharmed. */
  public static Scenario standard() {
    return new Scenario(List.of(new VpcCniCoTenantStep(), new SeedFailureStep(), new RolloutStep(), new DriftStep(),
        new BadChangeStep(), new DeleteStep(), new CoTenantCheckStep()));
  }

  public List<StepReport> run(ScenarioContext ctx) {
    List<StepReport> reports = new ArrayList<>();
    int i = 0;
    for (ScenarioStep step : steps) {
      i++;
      StepReport r = new StepReport(i, step.title(), ctx.narrator());
      reports.add(r);
      ctx.narrator().step(i, step.title());
      long start = System.nanoTime();
      try {
        step.run(ctx, r);
      } catch (Exception | AssertionError e) {
        r.failed(e);
      } finally {
        r.duration(Duration.ofNanos(System.nanoTime() - start));
      }
      if (r.error() != null) {
        break;
      }
    }
    return reports;
  }
}
