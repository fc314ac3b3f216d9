package io.eniroute.agent.safety;

import java.time.Duration;

/** Runs one probe, blocking at most {@code budget}. Never throws: a failure is an outcome. */
public interface Prober {
  ProbeOutcome probe(ProbeTarget target, Duration budget);
}
