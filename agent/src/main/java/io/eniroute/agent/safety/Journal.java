package io.eniroute.agent.safety;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eniroute.agent.engine.DurableFile;
import io.eniroute.agent.engine.StateStore;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The on-disk record that makes a change undoable after a crash: the last committed (verified)
 * spec, and while a change runs, what it is changing to with an in-progress marker. Every write
 * is a whole new file ({@link DurableFile}: fsynced, atomically renamed, directory fsynced), so a
 * crash leaves either the old or the new journal, never a torn one. An unreadable or unwritable
 * journal is a {@link StateStore.StateException}: the agent then changes nothing.
 *
 * <p>The engine keeps its own ownership state (what it added, what it removed from main); the
 * journal only needs the specs: rolling back is "reconcile the committed spec" (or revert when
 * there is none), which the engine turns into exact inverse operations from its state.
 */
public final class Journal {
  /** Where a node stands. */
  public enum Phase { COMMITTED, IN_PROGRESS }

  /**
   * @param phase IN_PROGRESS while a change runs
   * @param committed the last spec that was applied and passed its probes (null: none, nothing owned)
   * @param pending the spec being applied while IN_PROGRESS (null with {@code pendingRevert})
   * @param pendingRevert true while a revert runs
   * @param updated when this entry was written (ISO-8601)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(Phase phase, NodeNetworkConfigSpec committed, NodeNetworkConfigSpec pending,
      boolean pendingRevert, String updated) {}

  private static final String FILE = "journal.json";
  private final Path dir;
  private final ObjectMapper json = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** @param dir this node's (or network namespace's) state directory; created when missing */
  public Journal(Path dir) {
    this.dir = dir;
  }

  /**
   * The journal of one target next to the engine's ownership record:
   * {@code STATE_DIR/host/journal.json} or {@code STATE_DIR/netns-NAME/journal.json}.
   */
  public static Journal forTarget(Path stateDir, String netns) {
    return new Journal(stateDir.resolve(netns == null ? "host" : "netns-" + netns));
  }

  public Path file() {
    return dir.resolve(FILE);
  }

  public Optional<Entry> read() {
    Path f = file();
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readValue(Files.readAllBytes(f), Entry.class));
    } catch (IOException e) {
      throw new StateStore.StateException("journal " + f + " is unreadable (" + e.getMessage()
          + "); nothing is changed until it is fixed or moved away (then the agent starts from the kernel's"
          + " current state)", e);
    }
  }

  /** The last committed spec, if any. */
  public Optional<NodeNetworkConfigSpec> committed() {
    return read().map(Entry::committed);
  }

  /** Marks a change to {@code pending} as started; durable when this returns. */
  public void begin(NodeNetworkConfigSpec committed, NodeNetworkConfigSpec pending) {
    write(new Entry(Phase.IN_PROGRESS, committed, pending, false, Instant.now().toString()));
  }

  /** Marks a revert as started; durable when this returns. */
  public void beginRevert(NodeNetworkConfigSpec committed) {
    write(new Entry(Phase.IN_PROGRESS, committed, null, true, Instant.now().toString()));
  }

  /** Ends the running change with {@code spec} (null after a revert) as the node's committed state. */
  public void commit(NodeNetworkConfigSpec spec) {
    write(new Entry(Phase.COMMITTED, spec, null, false, Instant.now().toString()));
  }

  private void write(Entry e) {
    try {
      DurableFile.replace(file(), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(e));
    } catch (IOException ex) {
      throw new StateStore.StateException("cannot write journal " + file() + " (" + ex.getMessage()
          + "); eniroute changes nothing more until it can: make " + dir + " writable", ex);
    }
  }
}
