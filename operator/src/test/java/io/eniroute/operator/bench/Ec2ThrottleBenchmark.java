package io.eniroute.operator.bench;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.operator.aws.Allocation;
import io.eniroute.operator.aws.BucketSpec;
import io.eniroute.operator.aws.Ec2Action;
import io.eniroute.operator.aws.Ec2AddressAllocator;
import io.eniroute.operator.aws.Ec2Allocators;
import io.eniroute.operator.aws.Ec2Gateway;
import io.eniroute.operator.aws.Ec2RateLimiter;
import io.eniroute.operator.aws.Ec2RetryListener;
import io.eniroute.operator.aws.Ec2Target;
import io.eniroute.operator.aws.FakeEc2;
import io.eniroute.operator.aws.FakeEc2Buckets;
import io.eniroute.operator.aws.FakeEc2Endpoint;
import io.eniroute.operator.aws.SdkEc2Gateway;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;

/**
 * {@code bin/bench ec2-throttle [nodes] [timeScale] [threads]}: N simulated nodes, each needing one
 * more secondary IP, reconciled in parallel through the operator's real EC2 path (allocator,
 * limiter, a real {@code Ec2Client} with the SDK's standard retries and the limiter's interceptor)
 * against {@link FakeEc2} over HTTP ({@link FakeEc2Endpoint}), which throttles every request with
 * the bucket AWS documents for its action ({@link FakeEc2Buckets}, numbers written in the test,
 * independent of the limiter's) and answers RequestLimitExceeded when it is empty. Every HTTP
 * request, retries and pages included, takes an EC2 token and, with the limiter, a limiter token.
 *
 * <p>Prints the requests per action, the throttles (RequestLimitExceeded answered by the fake), the
 * SDK retries, and the time against the floor AWS's refill rates allow: for each action
 * (requests - burst) / rate, the largest of them, from FakeEc2Buckets' numbers. Same-run baseline:
 * the same nodes through the same SDK client without the client-side limiter, reconciled again
 * (as the operator's requeue would) until every node is complete.
 *
 * <p>To finish in seconds, every bucket's refill RATE is multiplied by {@code timeScale} (default
 * 20; bursts unchanged), and so are the SDK's backoff delays (divided by it); the floor uses the
 * same scaled rates, so the ratio is what a real rollout sees and real time is wall time x scale.
 */
public final class Ec2ThrottleBenchmark {
  private Ec2ThrottleBenchmark() {}

  public static void main(String[] args) throws Exception {
    // thousands of reconciles would log a line each; the figures are what this prints.
    System.setProperty("org.slf4j.simpleLogger.log.io.eniroute", "warn");
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    double scale = args.length > 1 ? Double.parseDouble(args[1]) : 20;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    System.out.printf("ec2-throttle: %d nodes needing 1 more secondary IP, %d reconcile threads, bucket rates x%.0f, "
        + "real Ec2Client (standard retries, backoff / %.0f) over HTTP to the fake%n", nodes, threads, scale, scale);

    run(Math.min(nodes, 100), scale, threads, true); // warm-up (JIT, SDK client), not measured
    Run limited = run(nodes, scale, threads, true);
    Run baseline = run(nodes, scale, threads, false);

    Floor floor = floor(limited.served, scale);
    System.out.printf("  EC2 buckets as AWS documents them (FakeEc2Buckets, rates x%.0f); floor = max over actions of "
        + "(requests - burst) / rate%n", scale);
    floor.perAction.forEach((action, line) -> System.out.println("    " + action + ": " + line));
    System.out.printf("  floor %.2f s (%s); at EC2's real rates %.1f s%n", floor.seconds, floor.binding, floor.seconds * scale);
    BucketSpec client = BucketSpec.ec2(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES.family())
        .scaled(Ec2RateLimiter.BURST_HEADROOM, Ec2RateLimiter.RATE_HEADROOM);
    int assigns = limited.served.getOrDefault(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES.apiName(), 0);
    double clientFloor = Math.max(0, assigns - client.burst()) / (client.perSecond() * scale);
    System.out.printf("  client limiter runs AssignPrivateIpAddresses at %.0f burst / %.0f per s (headroom %.0f%%/%.0f%%): "
        + "its own floor %.2f s%n", client.burst(), client.perSecond() * scale, Ec2RateLimiter.BURST_HEADROOM * 100,
        Ec2RateLimiter.RATE_HEADROOM * 100, clientFloor);
    print("with limiter   ", limited, floor, nodes);
    System.out.printf("    ratio to the limiter's own floor %.2f%n", limited.seconds / clientFloor);
    print("without limiter", baseline, floor, nodes);
    System.out.printf("  same run: with limiter / without = %.2f in time, throttles %d vs %d, SDK retries %d vs %d%n",
        limited.seconds / baseline.seconds, limited.throttled, baseline.throttled, limited.retries, baseline.retries);
    if (limited.throttled != 0 || limited.complete != nodes || limited.passes != 1) {
      System.out.println("  FAIL: the limiter let EC2 throttle or left nodes incomplete after one pass");
      System.exit(1);
    }
  }

  private static void print(String label, Run r, Floor floor, int nodes) {
    System.out.printf("  %s: %.2f s (real rates: %.0f s), ratio to floor %.2f, complete %d/%d after %d pass(es), "
            + "RequestLimitExceeded %d, SDK retries %d%n    requests %s%n", label, r.seconds, r.seconds * r.scale,
        r.seconds / floor.seconds, r.complete, nodes, r.passes, r.throttled, r.retries, r.calls);
  }

  private record Run(double scale, double seconds, int complete, int passes, int throttled, int retries,
      Map<String, Integer> calls, Map<String, Integer> served) {}

  private record Floor(double seconds, String binding, Map<String, String> perAction) {}

  /** The least time AWS's documented buckets allow for the requests EC2 served (throttled ones excluded). */
  private static Floor floor(Map<String, Integer> served, double scale) {
    double worst = 0;
    String binding = "none";
    Map<String, String> lines = new TreeMap<>();
    for (var e : served.entrySet()) {
      FakeEc2Buckets.Size s = FakeEc2Buckets.DOCUMENTED.get(e.getKey());
      double seconds = Math.max(0, e.getValue() - s.capacity()) / (s.refillPerSecond() * scale);
      lines.put(e.getKey(), String.format("(%d - %.0f) / %.0f per s = %.2f s", e.getValue(), s.capacity(),
          s.refillPerSecond() * scale, seconds));
      if (seconds > worst) {
        worst = seconds;
        binding = e.getKey();
      }
    }
    return new Floor(worst, binding, lines);
  }

  private static Run run(int nodes, double scale, int threads, boolean withLimiter) throws Exception {
    FakeEc2 ec2 = FakeEc2.throttledAsDocumented(scale).type("t3.medium", 3, 6);
    String subnet = ec2.subnet("10.0", nodes * 3);
    List<Node> all = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      String instance = ec2.instance("t3.medium", subnet);
      all.add(new NodeBuilder().withNewMetadata().withName("node-" + i)
          .addToLabels(Ec2Target.REGION_LABEL, "us-east-1").addToLabels(Ec2Target.INSTANCE_TYPE_LABEL, "t3.medium")
          .endMetadata().withNewSpec().withProviderID("aws:///us-east-1a/" + instance).endSpec().build());
    }
    AtomicInteger retries = new AtomicInteger();
    Ec2RetryListener counted = a -> retries.incrementAndGet();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Ec2Client sdk = null;
    try (FakeEc2Endpoint endpoint = FakeEc2Endpoint.serve(ec2, 8)) {
      Ec2ClientBuilder client = scaledRetries(endpoint.clientBuilder(), scale);
      // as Ec2Allocators.limitedGateway wires it, with the client kept to close it
      Ec2RateLimiter limiter = withLimiter
          ? new Ec2RateLimiter(
              f -> scaled(BucketSpec.ec2(f).scaled(Ec2RateLimiter.BURST_HEADROOM, Ec2RateLimiter.RATE_HEADROOM), scale),
              Duration.ofMinutes(10), System::nanoTime)
          // no client-side limiter: the interceptor only counts retries (no in-flight cap, buckets never run dry)
          : new Ec2RateLimiter(f -> new BucketSpec(1e12, 1e12), Integer.MAX_VALUE, Duration.ZERO, System::nanoTime);
      sdk = Ec2Allocators.pacedBy(client, limiter, counted).build();
      Ec2Gateway gateway = new SdkEc2Gateway(sdk);
      Ec2AddressAllocator allocator = new Ec2AddressAllocator(r -> gateway, Clock.systemUTC());
      AwsSettings settings = new AwsSettings();
      settings.setInterfacesPerNode(1);
      settings.setSecondaryIpsPerInterface(1);

      long start = System.nanoTime();
      List<Node> pending = all;
      int passes = 0;
      while (!pending.isEmpty() && passes < 50) {
        passes++;
        List<Future<Allocation>> results = new ArrayList<>();
        for (Node n : pending) {
          results.add(pool.submit(() -> allocator.ensure(n, settings, 1)));
        }
        List<Node> again = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
          if (!results.get(i).get().complete()) {
            again.add(pending.get(i));
          }
        }
        pending = again;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Integer> calls = new TreeMap<>();
      Map<String, Integer> served = new TreeMap<>();
      for (Ec2Action a : Ec2Action.values()) {
        if (ec2.calls(a) > 0) {
          calls.put(a.apiName(), ec2.calls(a));
          served.put(a.apiName(), ec2.calls(a) - ec2.throttledCalls(a));
        }
      }
      return new Run(scale, seconds, nodes - pending.size(), passes, ec2.throttledCalls(), retries.get(), calls, served);
    } finally {
      pool.shutdownNow();
      if (sdk != null) {
        sdk.close();
      }
    }
  }

  /** The SDK's standard retries (3 attempts; backoff 100 ms, throttled 1 s, cap 20 s) with delays divided by the scale. */
  private static Ec2ClientBuilder scaledRetries(Ec2ClientBuilder client, double scale) {
    return client.overrideConfiguration(client.overrideConfiguration().toBuilder()
        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .backoffStrategy(BackoffStrategy.exponentialDelay(scaled(Duration.ofMillis(100), scale), scaled(Duration.ofSeconds(20), scale)))
            .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(scaled(Duration.ofSeconds(1), scale),
                scaled(Duration.ofSeconds(20), scale)))
            .build())
        .build());
  }

  private static Duration scaled(Duration d, double scale) {
    return Duration.ofNanos((long) (d.toNanos() / scale));
  }

  private static BucketSpec scaled(BucketSpec spec, double rateScale) {
    return new BucketSpec(spec.burst(), spec.perSecond() * rateScale);
  }
}
