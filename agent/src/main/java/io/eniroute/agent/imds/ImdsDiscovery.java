package io.eniroute.agent.imds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the node's ENIs in the instance metadata ({@code network/interfaces/macs/}), for the
 * numbering the kernel does not know: EC2 device number and network card.
 *
 * <p>The trap: right after a hot-plug, IMDS reports {@code device-number} 0 for the new ENI
 * until it catches up. Only the primary interface (the one at {@code mac}) can really be 0, so
 * a non-primary MAC at 0 is "not ready yet": it is re-read with backoff for a bounded time and
 * then reported in {@link Discovery#notReady()} instead of being numbered 0 (which would give it
 * the primary's route table).
 */
public final class ImdsDiscovery {
  private static final Logger log = LoggerFactory.getLogger(ImdsDiscovery.class);

  /**
   * @param readyWait how long to wait for IMDS to number a hot-plugged ENI, default 30 s
   * @param firstBackoff first pause between re-reads (doubles each time), default 250 ms
   * @param maxBackoff longest pause, default 4 s
   */
  public record Retry(Duration readyWait, Duration firstBackoff, Duration maxBackoff) {
    public static Retry defaults() {
      return new Retry(Duration.ofSeconds(30), Duration.ofMillis(250), Duration.ofSeconds(4));
    }
  }

  private final MetadataSource imds;
  private final Retry settings;

  public ImdsDiscovery(MetadataSource imds, Retry settings) {
    this.imds = imds;
    this.settings = settings;
  }

  /** Never throws: an unreachable or broken IMDS yields {@link Discovery#none} with the reason. */
  public Discovery discover() {
    try {
      return read();
    } catch (ImdsException e) {
      log.warn("IMDS discovery found nothing ({}); using the kernel's view alone", e.getMessage());
      return Discovery.none(e.getMessage());
    }
  }

  private Discovery read() {
    Optional<String> instanceId = imds.get("instance-id");
    if (instanceId.isEmpty()) {
      return Discovery.none("IMDS has no instance-id: not an EC2 instance");
    }
    String region = imds.get("placement/region").orElse(null);
    String primary = imds.get("mac").map(ImdsDiscovery::normalMac).orElse(null);
    Map<String, ImdsInterface> found = new LinkedHashMap<>();
    List<String> waiting = new ArrayList<>();
    for (String mac : macs()) {
      Optional<ImdsInterface> i = readInterface(mac);
      if (i.isPresent() && (i.get().deviceIndex() != 0 || mac.equals(primary))) {
        found.put(mac, i.get());
      } else {
        waiting.add(mac);
      }
    }
    long deadline = System.nanoTime() + settings.readyWait().toNanos();
    Duration backoff = settings.firstBackoff();
    while (!waiting.isEmpty() && System.nanoTime() < deadline) {
      log.info("IMDS reports device-number 0 for non-primary {}: waiting for it to catch up", waiting);
      sleep(backoff, deadline);
      backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : backoff.multipliedBy(2);
      for (var it = waiting.iterator(); it.hasNext();) {
        String mac = it.next();
        Optional<ImdsInterface> i = readInterface(mac);
        if (i.isPresent() && i.get().deviceIndex() != 0) {
          found.put(mac, i.get());
          it.remove();
        }
      }
    }
    if (!waiting.isEmpty()) {
      log.warn("IMDS still reports device-number 0 for non-primary {} after {} s: no numbering hint for them "
          + "(the kernel's order decides their tables until the next discovery)", waiting, settings.readyWait().toSeconds());
    }
    return new Discovery(instanceId.get(), region, primary, List.copyOf(found.values()), waiting, null);
  }

  private List<String> macs() {
    String listing = imds.get("network/interfaces/macs/").orElse("");
    List<String> macs = new ArrayList<>();
    for (String line : listing.split("\n")) {
      String mac = normalMac(line.strip().replaceAll("/$", ""));
      if (!mac.isEmpty()) {
        macs.add(mac);
      }
    }
    return macs;
  }

  /** Empty when the device number is missing or not a number (treated as not ready). */
  private Optional<ImdsInterface> readInterface(String mac) {
    String base = "network/interfaces/macs/" + mac + "/";
    Optional<Integer> device = imds.get(base + "device-number").flatMap(ImdsDiscovery::number);
    if (device.isEmpty()) {
      return Optional.empty();
    }
    // Single-card instance types do not have the key at all.
    int card = imds.get(base + "network-card").flatMap(ImdsDiscovery::number).orElse(0);
    String id = imds.get(base + "interface-id").orElse(null);
    List<String> ips = imds.get(base + "local-ipv4s").map(s -> s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList())
        .orElse(List.of());
    String subnet = imds.get(base + "subnet-ipv4-cidr-block").orElse(null);
    return Optional.of(new ImdsInterface(mac, id, device.get(), card, ips, subnet));
  }

  private static Optional<Integer> number(String s) {
    try {
      return Optional.of(Integer.parseInt(s.strip()));
    } catch (NumberFormatException e) {
      log.warn("IMDS returned '{}' where a number was expected; ignoring it", s);
      return Optional.empty();
    }
  }

  private static String normalMac(String mac) {
    return mac.strip().toLowerCase(Locale.ROOT);
  }

  private static void sleep(Duration d, long deadline) {
    long nanos = Math.min(d.toNanos(), Math.max(0, deadline - System.nanoTime()));
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImdsException("interrupted while waiting for IMDS", e);
    }
  }
}
