package io.eniroute.agent.observability;

import java.util.Map;

/**
 * Where the agent's HTTP endpoints listen. The agent shares the node's network namespace, and the
 * node may carry public Elastic IPs, so the default is never the wildcard: the node's own IP as
 * the downward API gives it ({@code HOST_IP} from {@code status.hostIP}, which the kubelet's
 * probes and Prometheus reach), else loopback. An explicit {@code --bind-address} wins.
 */
public final class BindAddress {
  /** Environment variable the chart fills from the downward API's status.hostIP. */
  public static final String HOST_IP_ENV = "HOST_IP";
  public static final String LOOPBACK = "127.0.0.1";

  private BindAddress() {}

  public static String resolve(String flag, Map<String, String> env) {
    if (flag != null && !flag.isBlank()) {
      return flag.strip();
    }
    String hostIp = env.get(HOST_IP_ENV);
    return hostIp == null || hostIp.isBlank() ? LOOPBACK : hostIp.strip();
  }
}
