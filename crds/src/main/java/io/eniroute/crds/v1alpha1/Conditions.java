package io.eniroute.crds.v1alpha1;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one way eniroute writes a status condition (operator and agent): a condition's
 * {@code lastTransitionTime} moves only when its status flips, so "since when" stays true.
 */
public final class Conditions {
  private Conditions() {}

  /** A copy of {@code previous} (null: empty) to {@link #set} on; the previous list is never changed. */
  public static List<Condition> copyOf(List<Condition> previous) {
    List<Condition> out = new ArrayList<>();
    if (previous != null) {
      previous.forEach(c -> out.add(new ConditionBuilder(c).build()));
    }
    return out;
  }

  /**
   * Sets condition {@code type} in {@code conditions}, in place: replaced where it is, else
   * appended. The transition time is kept when the status is the same as before, else "now".
   */
  public static void set(List<Condition> conditions, String type, boolean status, String reason, String message,
      Long generation, Instant now) {
    String value = status ? "True" : "False";
    int at = indexOf(conditions, type);
    String since = at >= 0 && value.equals(conditions.get(at).getStatus()) && conditions.get(at).getLastTransitionTime() != null
        ? conditions.get(at).getLastTransitionTime()
        : now.truncatedTo(ChronoUnit.SECONDS).toString();
    Condition c = new ConditionBuilder().withType(type).withStatus(value)
        .withReason(Objects.requireNonNullElse(reason, Reasons.UNKNOWN))
        .withMessage(Objects.requireNonNullElse(message, ""))
        .withObservedGeneration(generation).withLastTransitionTime(since).build();
    if (at >= 0) {
      conditions.set(at, c);
    } else {
      conditions.add(c);
    }
  }

  /** Keeps only {@code types}, in that order (a stable order keeps an unchanged status unchanged). */
  public static void arrange(List<Condition> conditions, List<String> types) {
    conditions.removeIf(c -> !types.contains(c.getType()));
    conditions.sort(Comparator.comparingInt(c -> types.indexOf(c.getType())));
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    int at = conditions == null ? -1 : indexOf(conditions, type);
    return at < 0 ? Optional.empty() : Optional.of(conditions.get(at));
  }

  private static int indexOf(List<Condition> conditions, String type) {
    for (int i = 0; i < conditions.size(); i++) {
      if (type.equals(conditions.get(i).getType())) {
        return i;
      }
    }
    return -1;
  }
}
