package io.eniroute.agent.imds;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.imds.Ec2MetadataClient;
import software.amazon.awssdk.imds.Ec2MetadataClientException;

/**
 * IMDSv2 through the AWS SDK's {@link Ec2MetadataClient}: the SDK fetches the session token
 * (PUT /latest/api/token with a TTL), sends it on every read and retries 5xx and I/O errors.
 * Short timeouts, since off AWS the link-local endpoint simply never answers.
 */
public final class SdkMetadataSource implements MetadataSource {
  private static final String PREFIX = "/latest/meta-data/";

  private final Ec2MetadataClient client;

  /** @param endpoint null for the SDK default (169.254.169.254, or AWS_EC2_METADATA_SERVICE_ENDPOINT) */
  public SdkMetadataSource(URI endpoint, Duration timeout, int retries) {
    Ec2MetadataClient.Builder b = Ec2MetadataClient.builder()
        .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
        .retryPolicy(p -> p.numRetries(retries))
        .tokenTtl(Duration.ofMinutes(30));
    if (endpoint != null) {
      b.endpoint(endpoint);
    }
    this.client = b.build();
  }

  @Override
  public Optional<String> get(String path) {
    try {
      return Optional.of(client.get(PREFIX + path).asString().trim());
    } catch (Ec2MetadataClientException e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw new ImdsException("IMDS " + PREFIX + path + ": HTTP " + e.statusCode(), e);
    } catch (SdkClientException | java.io.UncheckedIOException e) {
      throw new ImdsException("IMDS " + PREFIX + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
