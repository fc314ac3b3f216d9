package io.eniroute.agent.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Builds the CLI's mixins with what they read from outside: stdin for {@code -f -}, the API
 * client and environment for the node's own config. Tests pass their own.
 */
public final class CliFactory implements CommandLine.IFactory {
  private final InputStream stdin;
  private final Supplier<KubernetesClient> clients;
  private final Map<String, String> env;

  public CliFactory(InputStream stdin, Supplier<KubernetesClient> clients, Map<String, String> env) {
    this.stdin = stdin;
    this.clients = clients;
    this.env = env;
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    if (type == ConfigOptions.class) {
      return type.cast(new ConfigOptions(stdin));
    }
    if (type == NodeConfigSource.class) {
      return type.cast(new NodeConfigSource(clients, env));
    }
    return CommandLine.defaultFactory().create(type);
  }
}
