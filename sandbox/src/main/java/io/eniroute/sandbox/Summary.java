package io.eniroute.sandbox;

import java.time.Duration;
import java.util.List;

/** The one-screen end of a run: per step its time, its figures and its checks. */
public final class Summary {
  private final List<StepReport> steps;

  public Summary(List<StepReport> steps) {
    this.steps = List.copyOf(steps);
  }

  public boolean passed() {
    return !steps.isEmpty() && steps.stream().allMatch(StepReport::passed);
  }

  public long failedChecks() {
    return steps.stream().flatMap(s -> s.checks().stream()).filter(c -> !c.passed()).count();
  }

  public long totalChecks() {
    return steps.stream().mapToLong(s -> s.checks().size()).sum();
  }

  public String render(String header) {
    StringBuilder b = new StringBuilder();
    b.append("\n══ summary ══ ").append(header).append('\n');
    for (StepReport s : steps) {
      long ok = s.checks().stream().filter(StepReport.Check::passed).count();
      b.append(String.format(" %s %d. %-60s %8s  %2d/%-2d checks%n", s.passed() ? "✔" : "✘", s.number(), s.title(),
          format(s.duration()), ok, s.checks().size()));
      for (StepReport.Figure f : s.figures()) {
        b.append(String.format("      ⏱ %-58s %s%n", f.name(), format(f.value())));
      }
      for (StepReport.Check c : s.checks()) {
        if (!c.passed()) {
          b.append("      ✘ ").append(c.name()).append(c.detail() == null ? "" : " — " + c.detail()).append('\n');
        }
      }
    }
    b.append(passed()
        ? String.format(" ALL %d CHECKS PASSED%n", totalChecks())
        : String.format(" %d OF %d CHECKS FAILED%n", failedChecks(), totalChecks()));
    return b.toString();
  }

  public static String format(Duration d) {
    long ms = d.toMillis();
    return ms < 10_000 ? ms + " ms" : String.format("%.1f s", ms / 1000.0);
  }
}
