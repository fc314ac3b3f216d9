package io.eniroute.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What one scenario step checked and measured; filled while the step runs. */
public final class StepReport {
  /** One verified claim: by traffic, by kernel state, by API status or by EC2. */
  public record Check(String name, boolean passed, String detail) {}

  /** A measured figure (heal time, rollout time...). */
  public record Figure(String name, Duration value) {}

  private final int number;
  private final String title;
  private final Narrator narrator;
  private final List<Check> checks = new ArrayList<>();
  private final List<Figure> figures = new ArrayList<>();
  private Duration duration = Duration.ZERO;
  private String error;

  public StepReport(int number, String title, Narrator narrator) {
    this.number = number;
    this.title = title;
    this.narrator = narrator;
  }

  /** Records a check and tells the story of it. */
  public boolean check(String name, boolean passed, String detail) {
    detail = detail == null ? null : detail.strip().replaceAll("\\s*\n\\s*", "; ");
    checks.add(new Check(name, passed, detail));
    narrator.say((passed ? "✔ " : "✘ ") + name + (detail == null || detail.isEmpty() ? "" : " — " + detail));
    return passed;
  }

  public void figure(String name, Duration value) {
    figures.add(new Figure(name, value));
    narrator.say("⏱ " + name + ": " + Summary.format(value));
  }

  /** The step threw: recorded as a failed check so the summary and the exit code show it. */
  public void failed(Throwable e) {
    error = e.toString();
    check("step completed", false, e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  public int number() { return number; }
  public String title() { return title; }
  public List<Check> checks() { return List.copyOf(checks); }
  public List<Figure> figures() { return List.copyOf(figures); }
  public Duration duration() { return duration; }
  void duration(Duration d) { this.duration = d; }
  public String error() { return error; }

  public boolean passed() {
    return !checks.isEmpty() && checks.stream().allMatch(Check::passed);
  }
}
