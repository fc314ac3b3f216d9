package io.eniroute.agent.safety;

/** The result of one probe: passed or not, why, and how long it took. */
public record ProbeOutcome(ProbeTarget target, boolean passed, String message, long millis) {

  public String name() {
    return target.name();
  }
}
