package io.eniroute.agent.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps one target's {@link OwnershipState} in {@code STATE_DIR/TARGET/ownership.json}
 * (TARGET = the netns name, or {@code host}), written durably ({@link DurableFile}: fsync, atomic
 * rename, directory fsync) before the batch it describes runs, so after a crash or power cut the
 * record revert depends on is the old or the new one, never half of one or a lost one.
 */
public final class StateStore {
  public static final Path DEFAULT_DIR = Path.of("/var/lib/eniroute");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path file;

  public StateStore(Path stateDir, String netns) {
    this.file = stateDir.resolve(netns == null ? "host" : "netns-" + netns).resolve("ownership.json");
  }

  public Path file() {
    return file;
  }

  public OwnershipState load() {
    if (!Files.exists(file)) {
      return OwnershipState.empty();
    }
    try {
      return JSON.readValue(file.toFile(), OwnershipState.class);
    } catch (IOException e) {
      throw new StateException("cannot read " + file + " (" + e.getMessage()
          + "); fix or move it away, it records what revert must restore", e);
    }
  }

  public void save(OwnershipState state) {
    if (state.isEmpty()) {
      delete();
      return;
    }
    try {
      DurableFile.replace(file, JSON.writeValueAsBytes(state));
    } catch (IOException e) {
      throw new StateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  public void delete() {
    try {
      DurableFile.delete(file);
    } catch (IOException e) {
      throw new StateException("cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  /** The state file cannot be read or written. */
  public static final class StateException extends RuntimeException {
    public StateException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
