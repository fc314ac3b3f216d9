package io.eniroute.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The fast parser must agree with Instant.parse on everything the operator reads. */
class TimestampsTest {

  @Property(tries = 2000)
  void agreesWithTheJdkOnWhatTheApiServerAndInstantWrite(
      @ForAll @LongRange(min = 0, max = 4_102_444_800L) long second, @ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
    Instant t = Instant.ofEpochSecond(second, nanos);
    String apiServer = t.truncatedTo(ChronoUnit.SECONDS).toString(); // metadata.creationTimestamp
    String annotation = t.toString(); // eniroute.io/handed-at: Instant.toString, 0, 3, 6 or 9 digits
    assertThat(Timestamps.parse(apiServer)).isEqualTo(Instant.parse(apiServer));
    assertThat(Timestamps.parse(annotation)).isEqualTo(Instant.parse(annotation));
    String millis = t.truncatedTo(ChronoUnit.MILLIS).toString();
    assertThat(Timestamps.parse(millis)).isEqualTo(Instant.parse(millis));
  }

  @Test
  void otherwiseValidFormsStillParse() {
    assertThat(Timestamps.parse("2026-11-29T08:50:00.1Z")).isEqualTo(Instant.parse("2026-11-29T08:50:00.100Z"));
    assertThat(Timestamps.parse("2024-02-29T23:59:59Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
    assertThat(Timestamps.parse("2026-11-29T24:00:00Z")).as("the JDK reads 24:00 as the next midnight")
        .isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
  }

  @Test
  void rejectsWhatTheJdkRejects() {
    for (String bad : new String[] {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-11-29 08:50:00Z", "2026-11-29T08:50:00", "yesterday", "2026-11-29T08:5a:00Z"}) {
      assertThatThrownBy(() -> Timestamps.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
    }
  }
}
