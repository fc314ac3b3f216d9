package io.eniroute.agent.imds;

import io.eniroute.crds.v1alpha1.InterfaceAddresses;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The numbering hints the cluster agent merges into every spec: discovered once at start, and
 * again (at most once per {@code minInterval}) when a spec names a MAC the last discovery did
 * not number, e.g. an ENI the operator just attached. A discovery that found nothing (IMDS down,
 * or off AWS, which look the same from here) is retried with backoff: {@code minInterval},
 * doubling up to {@value #MAX_BACKOFF_MINUTES} minutes, so one failure is not permanent.
 * Disabled: no hints, the kernel's view alone.
 *
 * <p>When the Node object names this node's instance and IMDS describes another one, IMDS is
 * answering for another machine (e.g. a hop limit or proxy that lets a pod's or the host's
 * metadata through): its numbering would be wrong, so there are no hints at all.
 */
public final class ImdsHints {
  private static final Logger log = LoggerFactory.getLogger(ImdsHints.class);
  static final long MAX_BACKOFF_MINUTES = 10;

  private final Supplier<Discovery> discover;
  private final Duration minInterval;
  private final LongSupplier nanoTime;
  private final Supplier<Set<String>> localMacs;
  private final Supplier<Optional<String>> nodeInstanceId;
  private Discovery last;
  private long lastAt;
  private int failuresInARow;
  private String mismatchReported;

  /**
   * @param localMacs the MACs of the interfaces the kernel has now (lower case): an ENI the spec
   *     does not name gets a hint only when it is really there (IMDS also lists ENIs that are
   *     still attaching, or that a CNI moved into a pod's namespace, and the engine rejects a
   *     spec entry for an interface it cannot find)
   */
  public ImdsHints(Supplier<Discovery> discover, Duration minInterval, LongSupplier nanoTime,
      Supplier<Set<String>> localMacs) {
    this(discover, minInterval, nanoTime, localMacs, Optional::empty);
  }

  /**
   * @param nodeInstanceId the instance id the Node object names (empty when unknown): IMDS hints
   *     are used only when IMDS describes that same instance
   */
  public ImdsHints(Supplier<Discovery> discover, Duration minInterval, LongSupplier nanoTime,
      Supplier<Set<String>> localMacs, Supplier<Optional<String>> nodeInstanceId) {
    this.discover = discover;
    this.minInterval = minInterval;
    this.nanoTime = nanoTime;
    this.localMacs = localMacs;
    this.nodeInstanceId = nodeInstanceId;
  }

  /** No IMDS (--imds=false): always empty, never retried. */
  public static ImdsHints disabled() {
    return new ImdsHints(() -> Discovery.none("IMDS disabled"), Duration.ofDays(3650), System::nanoTime, Set::of);
  }

  /** How long after a failed discovery the next one may run. */
  private long backoffNanos() {
    long max = Math.max(minInterval.toNanos(), Duration.ofMinutes(MAX_BACKOFF_MINUTES).toNanos());
    int doublings = Math.min(failuresInARow - 1, 20);
    return Math.min(max, minInterval.toNanos() << Math.max(doublings, 0));
  }

  /** Discovers now (at start), returning what was found. */
  public synchronized Discovery refresh() {
    last = discover.get();
    lastAt = nanoTime.getAsLong();
    failuresInARow = last.onAws() ? 0 : failuresInARow + 1;
    if (last.onAws()) {
      log.info("IMDS: instance {} in {}, {} interface(s) numbered{}", last.instanceId(), last.region(),
          last.interfaces().size(), last.notReady().isEmpty() ? "" : ", not ready yet: " + last.notReady());
    }
    return last;
  }

  /** Hints for a spec naming these MACs; re-discovers first when one of them is unknown. */
  public synchronized List<InterfaceAddresses> hintsFor(Collection<String> specMacs) {
    if (last == null) {
      refresh();
    } else if (!last.onAws() && nanoTime.getAsLong() - lastAt >= backoffNanos()) {
      log.info("IMDS found nothing last time ({}): discovering again", last.problem());
      refresh();
    } else if (last.onAws() && nanoTime.getAsLong() - lastAt >= minInterval.toNanos()) {
      Set<String> known = last.interfaces().stream().map(ImdsInterface::mac).collect(Collectors.toSet());
      List<String> unknown = specMacs.stream().map(m -> m.toLowerCase(Locale.ROOT)).filter(m -> !known.contains(m)).toList();
      if (!unknown.isEmpty()) {
        log.info("the config names {} which IMDS did not number last time: discovering again", unknown);
        refresh();
      }
    }
    if (!sameInstanceAsTheNode()) {
      return List.of();
    }
    Set<String> named = specMacs.stream().map(m -> m.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    List<ImdsInterface> found = last.interfaces();
    Set<String> local = found.stream().allMatch(i -> named.contains(i.mac())) ? Set.of() : localMacs.get();
    return found.stream().filter(i -> named.contains(i.mac()) || local.contains(i.mac())).map(ImdsInterface::hint).toList();
  }

  /** False (logged once per IMDS instance) when the Node object names another instance than IMDS does. */
  private boolean sameInstanceAsTheNode() {
    if (!last.onAws()) {
      return true;
    }
    Optional<String> node = nodeInstanceId.get();
    if (node.isEmpty() || node.get().equals(last.instanceId())) {
      return true;
    }
    if (!last.instanceId().equals(mismatchReported)) {
      mismatchReported = last.instanceId();
      log.error("IMDS describes instance {} but this node's Node object (spec.providerID) names instance {}: IMDS is "
          + "answering for another machine (check the instance's metadata hop limit and any proxy in front of "
          + "169.254.169.254); its interface numbering is NOT used, the kernel's view alone decides", last.instanceId(),
          node.get());
    }
    return false;
  }

  /** The last discovery (null before the first). */
  public synchronized Discovery last() {
    return last;
  }
}
