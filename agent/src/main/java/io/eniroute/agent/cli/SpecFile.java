package io.eniroute.agent.cli;

import io.eniroute.crds.v1alpha1.NodeNetworkConfigSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desired spec of {@code eniroute-agent run}: the config file, re-read when it changes. A
 * file that became unreadable or invalid keeps the last good spec (logged once per change), so
 * a half-saved edit never reverts a node.
 */
final class SpecFile implements Supplier<Optional<NodeNetworkConfigSpec>> {
  private static final Logger log = LoggerFactory.getLogger(SpecFile.class);
  private final Path file;
  private Stamp loaded;
  private Stamp rejected;
  private NodeNetworkConfigSpec spec;

  private record Stamp(FileTime modified, long size) {}

  SpecFile(Path file) {
    this.file = file;
  }

  /** Loads the file now, throwing {@link ConfigFile.ConfigException} when it is invalid. */
  synchronized NodeNetworkConfigSpec loadInitial() {
    Stamp s = stamp();
    spec = ConfigFile.load(file);
    loaded = s;
    return spec;
  }

  /** Whether the file changed since it was last loaded (or rejected). */
  synchronized boolean changed() {
    Stamp s = stamp();
    return !Objects.equals(s, loaded) && !Objects.equals(s, rejected);
  }

  @Override
  public synchronized Optional<NodeNetworkConfigSpec> get() {
    if (changed()) {
      Stamp s = stamp();
      try {
        spec = ConfigFile.load(file);
        loaded = s;
        log.info("{} changed: reloaded", file);
      } catch (ConfigFile.ConfigException e) {
        rejected = s;
        log.error("{}; keeping the last good config", e.getMessage());
      }
    }
    return Optional.ofNullable(spec);
  }

  private Stamp stamp() {
    try {
      return new Stamp(Files.getLastModifiedTime(file), Files.size(file));
    } catch (IOException e) {
      return null;
    }
  }
}
