package io.eniroute.agent.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eniroute.agent.imds.HintMerger;
import io.eniroute.agent.imds.ImdsHints;
import io.eniroute.crds.v1alpha1.ConfigState;
import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import io.eniroute.crds.v1alpha1.NodeNetworkConfig;
import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile loop's source of the desired spec, asked once per pass:
 * <ul>
 *   <li>the node's NodeNetworkConfig as last seen (kept while the API server is unreachable),
 *       with the IMDS numbering merged in (interfaces with a live table keep theirs: {@link LiveNumbering});
 *   <li>{@code state: absent}, a deletion in progress, or a deleted config: an absent spec (revert);
 *   <li>nothing seen yet (API server not reached since start): the journal's committed spec, so
 *       a restarted agent keeps healing what it applied; empty when there is none (wait).
 * </ul>
 * It remembers the {@link Target} of the spec it handed out, for the report that follows.
 * Called only from the loop thread.
 */
public final class DesiredConfig implements Supplier<Optional<NodeNetworkConfigSpec>> {
  private static final Logger log = LoggerFactory.getLogger(DesiredConfig.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String node;
  private final Supplier<ConfigWatch.Snapshot> latest;
  private final Supplier<Optional<NodeNetworkConfigSpec>> committed;
  private final ImdsHints hints;
  private final Supplier<String> identity;
  private final HintMerger merger = new HintMerger();
  private final LiveNumbering live;
  private Target target;

  /**
   * @param latest the watch's latest snapshot (null when none)
   * @param committed the journal's last committed spec
   * @param identity the node's EC2 identity in words for the status (null when unknown), asked
   *     after the IMDS hints
   */
  public DesiredConfig(String node, Supplier<ConfigWatch.Snapshot> latest,
      Supplier<Optional<NodeNetworkConfigSpec>> committed, ImdsHints hints, Supplier<String> identity,
      LiveNumbering live) {
    this.live = live;
    this.node = node;
    this.latest = latest;
    this.committed = committed;
    this.hints = hints;
    this.identity = identity;
  }

  @Override
  public Optional<NodeNetworkConfigSpec> get() {
    ConfigWatch.Snapshot s = latest.get();
    if (s == null) {
      Optional<NodeNetworkConfigSpec> journal = committed.get();
      if (journal.isPresent() && target == null) {
        log.info("no NodeNetworkConfig seen yet for {}: keeping the config in the journal", node);
      }
      target = journal.isPresent() ? Target.fromJournal(node) : null;
      return journal;
    }
    NodeNetworkConfig c = s.config();
    NodeNetworkConfigSpec spec = c.getSpec();
    boolean absent = s.deleted() || c.getMetadata().getDeletionTimestamp() != null || spec.getState() == ConfigState.ABSENT;
    if (absent) {
      target = new Target(node, c.getMetadata().getGeneration(), spec.getPolicyGeneration(), true, !s.deleted(),
          c.getStatus(), null);
      NodeNetworkConfigSpec a = JSON.convertValue(spec, NodeNetworkConfigSpec.class);
      a.setState(ConfigState.ABSENT);
      return Optional.of(a);
    }
    List<InterfaceAddresses> imds = hints.hintsFor(spec.getAddresses().stream().map(InterfaceAddresses::getMac).toList());
    NodeNetworkConfigSpec merged = merger.merge(spec, live.hints(spec, imds));
    target = new Target(node, c.getMetadata().getGeneration(), spec.getPolicyGeneration(), false, !s.deleted(),
        c.getStatus(), identity.get());
    return Optional.of(merged);
  }

  /** The target of the spec handed out last (null when none was). */
  Target target() {
    return target;
  }
}
