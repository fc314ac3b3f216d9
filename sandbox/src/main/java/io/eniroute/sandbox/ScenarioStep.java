package io.eniroute.sandbox;

/** One narrated step of the scenario; it records what it verified in the report. */
public interface ScenarioStep {
  String title();

  void run(ScenarioContext ctx, StepReport report) throws Exception;
}
