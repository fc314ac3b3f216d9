package io.eniroute.agent.safety;

import java.util.Map;
import java.util.Optional;

/**
 * A test hook that kills the JVM at a named point of a change, as a power cut would: the
 * crash-safety tests set {@code ENIROUTE_TEST_HALT_AT} (or {@code -Deniroute.test.haltAt}) to
 * {@code after-journal} (journal written, nothing applied) or {@code after-apply} (new config in
 * the kernel, not yet probed or committed). Unset in production: {@link #NONE}.
 */
public final class CrashPoint {
  public static final String AFTER_JOURNAL = "after-journal";
  public static final String AFTER_APPLY = "after-apply";
  public static final String ENV = "ENIROUTE_TEST_HALT_AT";
  public static final String PROPERTY = "eniroute.test.haltAt";
  public static final CrashPoint NONE = new CrashPoint(null);

  private final String haltAt;

  public CrashPoint(String haltAt) {
    this.haltAt = haltAt;
  }

  public static CrashPoint fromEnvironment(Map<String, String> env) {
    return new CrashPoint(Optional.ofNullable(System.getProperty(PROPERTY)).orElse(env.get(ENV)));
  }

  /** Halts the JVM (no shutdown hooks, exit code 137) if this is the configured point. */
  public void reached(String point) {
    if (point.equals(haltAt)) {
      System.err.println("eniroute: test hook " + ENV + "=" + point + ": halting now");
      System.err.flush();
      Runtime.getRuntime().halt(137);
    }
  }
}
