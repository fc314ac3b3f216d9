package io.eniroute.agent.imds;

import java.util.Optional;

/** Reads one instance metadata path (below {@code /latest/meta-data/}). */
public interface MetadataSource extends AutoCloseable {

  /**
   * @return the value, or empty when the path does not exist (HTTP 404)
   * @throws ImdsException when the service cannot be reached or keeps failing after retries
   */
  Optional<String> get(String path);

  @Override
  void close();
}
