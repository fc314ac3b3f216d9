package io.eniroute.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file of {@code eniroute-agent run}: re-read on change, a bad edit never loses the good config. */
class SpecFileTest {
  @TempDir Path dir;

  private static void write(Path f, String text, int secondsLater) throws Exception {
    Files.writeString(f, text);
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(secondsLater)));
  }

  @Test
  void anEditedFileIsReloadedAndABadEditKeepsTheLastGoodConfig() throws Exception {
    Path f = dir.resolve("node.yaml");
    write(f, "routing:\n  tableBase: 20000\n", 0);
    SpecFile file = new SpecFile(f);
    assertThat(file.loadInitial().getRouting().getTableBase()).isEqualTo(20000L);
    assertThat(file.changed()).isFalse();

    write(f, "routing:\n  tableBase: 30000\n", 10);
    assertThat(file.changed()).isTrue();
    assertThat(file.get().orElseThrow().getRouting().getTableBase()).isEqualTo(30000L);
    assertThat(file.changed()).isFalse();

    write(f, "routing:\n  tabelBase: 40000\n", 20); // typo: rejected, not silently ignored
    assertThat(file.get().orElseThrow().getRouting().getTableBase()).isEqualTo(30000L);
    assertThat(file.changed()).as("a rejected version is not re-read every second").isFalse();

    Files.delete(f); // a half-done save: keep going with the last good config
    assertThat(file.get().orElseThrow().getRouting().getTableBase()).isEqualTo(30000L);
  }

  @Test
  void aBadFileAtStartIsAnErrorThatNamesTheField() throws Exception {
    Path f = dir.resolve("node.yaml");
    write(f, "safety:\n  probeTimeoutSecond: 5\n", 0);
    assertThatThrownBy(() -> new SpecFile(f).loadInitial())
        .isInstanceOf(ConfigFile.ConfigException.class)
        .hasMessageContaining("probeTimeoutSecond");
  }

  @Test
  void resyncDurationsAreParsedOrRejectedWithTheFix() {
    assertThat(RunCommand.parseDuration("60s").toSeconds()).isEqualTo(60);
    assertThat(RunCommand.parseDuration("5m").toSeconds()).isEqualTo(300);
    assertThat(RunCommand.parseDuration("500ms").toMillis()).isEqualTo(500);
    assertThatThrownBy(() -> RunCommand.parseDuration("sixty"))
        .hasMessageContaining("--resync").hasMessageContaining("60s");
    assertThatThrownBy(() -> RunCommand.parseDuration("0s")).hasMessageContaining("positive");
  }
}
