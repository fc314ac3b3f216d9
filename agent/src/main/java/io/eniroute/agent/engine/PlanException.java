package io.eniroute.agent.engine;

/** The config cannot be planned here (InvalidConfig) or would overwrite a foreign object (ForeignConflict). */
public class PlanException extends RuntimeException {
  public static final String INVALID_CONFIG = "InvalidConfig";
  public static final String FOREIGN_CONFLICT = "ForeignConflict";

  private final String reason;

  public PlanException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public static PlanException invalid(String message) {
    return new PlanException(INVALID_CONFIG, message);
  }

  public String reason() {
    return reason;
  }
}
