package io.eniroute.agent.safety;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A test hook that kills the JVM at a named point of a change, as a power cut would: the
 * crash-safety tests set {@code ENIROUTE_TEST_HALT_AT} (or {@code -Deniroute.test.haltAt}) to
 * {@code after-journal} (journal written, nothing applied), {@code after-apply} (new config in
 * the kernel, not yet probed or committed) or {@code before-commit} (any change, rollback,
 * recovery or revert done in the kernel, its journal commit not written). Unset in production:
 * {@link #NONE}. The in-process fault campaign {@linkplain #observing observes} every point
 * instead, and stops the change at the one it chose.
 */
public final class CrashPoint {
  public static final String AFTER_JOURNAL = "after-journal";
  public static final String AFTER_APPLY = "after-apply";
  public static final String BEFORE_COMMIT = "before-commit";
  public static final String ENV = "ENIROUTE_TEST_HALT_AT";
  public static final String PROPERTY = "eniroute.test.haltAt";
  public static final CrashPoint NONE = new CrashPoint(null);

  private final String haltAt;
  private final Consumer<String> observer;

  public CrashPoint(String haltAt) {
    this(haltAt, point -> {});
  }

  private CrashPoint(String haltAt, Consumer<String> observer) {
    this.haltAt = haltAt;
    this.observer = observer;
  }

  /** Tests: every point reached is handed to {@code observer} (which may throw to stop right there). */
  public static CrashPoint observing(Consumer<String> observer) {
    return new CrashPoint(null, observer);
  }

  public static CrashPoint fromEnvironment(Map<String, String> env) {
    return new CrashPoint(Optional.ofNullable(System.getProperty(PROPERTY)).orElse(env.get(ENV)));
  }

  /** Halts the JVM (no shutdown hooks, exit code 137) if this is the configured point. */
  public void reached(String point) {
    observer.accept(point);
    if (point.equals(haltAt)) {
      System.err.println("eniroute: test hook " + ENV + "=" + point + ": halting now");
      System.err.flush();
      Runtime.getRuntime().halt(137);
    }
  }
}
