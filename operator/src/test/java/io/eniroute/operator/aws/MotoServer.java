package io.eniroute.operator.aws;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A {@code moto_server} on a free loopback port for one test class. moto is preinstalled on the
 * build machines (pip cannot reach PyPI here); without it the tests are skipped, or fail under
 * CI=true, with the way to install it.
 */
final class MotoServer implements AutoCloseable {
  private final Process process;
  private final URI endpoint;
  private final Path log;
  private final Thread hook;

  private MotoServer(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
    this.hook = new Thread(process::destroyForcibly, "moto-server-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  static MotoServer start() throws IOException, InterruptedException {
    String binary = findOnPath("moto_server");
    String hint = "moto_server is not on PATH; install it with: pip install 'moto[server]==5.2.1'";
    if (binary == null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(hint + " (CI=true: failing instead of skipping)");
      }
      assumeTrue(false, hint);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempDirectory("moto-").resolve("moto.log");
    // EC2-like address picks: plain moto may hand one address to two interfaces, which made the
    // co-tenant test see a pod IP among eniroute's about one run in six.
    Process p = new ProcessBuilder(io.eniroute.lab.MotoCommand.forPort(port, log.getParent()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    MotoServer server = new MotoServer(p, URI.create("http://127.0.0.1:" + port), log);
    server.awaitAnswer(Duration.ofSeconds(60));
    return server;
  }

  URI endpoint() {
    return endpoint;
  }

  /**
   * The operator's EC2 client (Ec2Allocators.clientBuilder) on this moto, with test credentials and
   * the SDK's standard retries; the name of every operation it runs is added to {@code operations}.
   */
  software.amazon.awssdk.services.ec2.Ec2Client client(String region, java.util.Collection<String> operations) {
    return clientBuilder(region, operations).build();
  }

  /** The builder behind {@link #client}, e.g. for {@code Ec2Allocators.pacedBy}. */
  software.amazon.awssdk.services.ec2.Ec2ClientBuilder clientBuilder(String region, java.util.Collection<String> operations) {
    return Ec2Allocators.clientBuilder(java.util.Optional.of(endpoint), java.util.Optional.of(region))
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
        .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.core.retry.RetryMode.STANDARD)
            .addExecutionInterceptor(new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
              @Override
              public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                  software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                operations.add(attributes.getAttribute(software.amazon.awssdk.core.interceptor.SdkExecutionAttribute.OPERATION_NAME));
              }
            }));
  }

  private void awaitAnswer(Duration timeout) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        close();
        fail("moto_server exited: " + Files.readString(log));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        if (c.getResponseCode() > 0) {
          c.disconnect();
          return;
        }
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    close();
    fail("moto_server did not answer on " + endpoint + " within " + timeout + ": " + Files.readString(log));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a temp file
    }
  }

  private static String findOnPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    return null;
  }
}
