package io.eniroute.crds;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Node's {@code spec.providerID} as the AWS cloud provider writes it,
 * {@code aws:///<zone>/<instance-id>} (the zone may be empty: {@code aws:////i-...}). The one
 * parser the operator (which EC2 instance to allocate for) and the agent (which instance IMDS
 * must describe) share, so both accept exactly the same nodes.
 *
 * @param zone the availability zone, null when the providerID has none
 * @param instanceId the EC2 instance id (i-...)
 */
public record ProviderId(String zone, String instanceId) {
  /** How a person should picture a valid value, for error messages. */
  public static final String FORMAT = "aws:///<zone>/i-...";
  private static final Pattern AWS = Pattern.compile("aws://(?:/(?<zone>[a-z0-9-]*))?/(?<id>i-[0-9a-f]+)");

  /** Empty when {@code providerId} is unset or not an EC2 instance (e.g. kind://..., a Fargate node). */
  public static Optional<ProviderId> parse(String providerId) {
    if (providerId == null) {
      return Optional.empty();
    }
    Matcher m = AWS.matcher(providerId.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    String zone = m.group("zone") == null || m.group("zone").isEmpty() ? null : m.group("zone");
    return Optional.of(new ProviderId(zone, m.group("id")));
  }
}
