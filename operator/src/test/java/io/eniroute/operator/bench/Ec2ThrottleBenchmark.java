package io.eniroute.operator.bench;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.operator.aws.Allocation;
import io.eniroute.operator.aws.BucketSpec;
import io.eniroute.operator.aws.Ec2Action;
import io.eniroute.operator.aws.Ec2CallException;
import io.eniroute.operator.aws.Ec2AddressAllocator;
import io.eniroute.operator.aws.Ec2Gateway;
import io.eniroute.operator.aws.Ec2RateLimiter;
import io.eniroute.operator.aws.Ec2Target;
import io.eniroute.operator.aws.FakeEc2;
import io.eniroute.operator.aws.FakeEc2Buckets;
import io.eniroute.operator.aws.ThrottledEc2Gateway;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bin/bench ec2-throttle [nodes] [timeScale] [threads]}: N simulated nodes, each needing one
 * more secondary IP, reconciled in parallel against the in-memory EC2 that throttles with the
 * buckets AWS documents per action (FakeEc2Buckets, independent of the limiter's constants;
 * RequestLimitExceeded when a bucket is empty). Between the limiter and the fake sits a stand-in
 * for the SDK's standard retries (3 attempts, exponential backoff with jitter on throttling), so
 * a retry takes an EC2 token as it does for real. Prints requests per action, throttles, retries
 * and the total time against the floor of the binding documented bucket ((calls - burst) / rate).
 * Same-run baseline: the same nodes without the client-side limiter.
 *
 * <p>To finish in seconds, every bucket's refill RATE is multiplied by {@code timeScale} (default
 * 20; bursts unchanged), so AssignPrivateIpAddresses refills at 100/s instead of 5/s; the
 * floor is computed with the same scaled rates, so the ratio is what a real rollout would see.
 */
public final class Ec2ThrottleBenchmark {
  private Ec2ThrottleBenchmark() {}

  public static void main(String[] args) throws Exception {
    // 2,000 reconciles would log a line each; the figures are what this prints.
    System.setProperty("org.slf4j.simpleLogger.log.io.eniroute", "warn");
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    double scale = args.length > 1 ? Double.parseDouble(args[1]) : 20;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    System.out.printf("ec2-throttle: %d nodes needing 1 more secondary IP, %d reconcile threads, bucket rates x%.0f%n",
        nodes, threads, scale);

    Run limited = run(nodes, scale, threads, true);
    Run unlimited = run(nodes, scale, threads, false);

    FakeEc2Buckets.Size assign = FakeEc2Buckets.DOCUMENTED.get("AssignPrivateIpAddresses");
    double floor = Math.max(0, nodes - assign.capacity()) / (assign.refillPerSecond() * scale);
    FakeEc2Buckets.Size describe = FakeEc2Buckets.DOCUMENTED.get("DescribeNetworkInterfaces");
    double describeFloor = Math.max(0, 2.0 * nodes - describe.capacity()) / (describe.refillPerSecond() * scale);
    System.out.printf("  EC2 buckets as documented (rates scaled): AssignPrivateIpAddresses %.0f / %.0f per s, "
        + "DescribeNetworkInterfaces %.0f / %.0f per s%n",
        assign.capacity(), assign.refillPerSecond() * scale, describe.capacity(), describe.refillPerSecond() * scale);
    System.out.printf("  floor: AssignPrivateIpAddresses (%d - %.0f) / %.0f per s = %.2f s (describe floor %.2f s)%n",
        nodes, assign.capacity(), assign.refillPerSecond() * scale, floor, describeFloor);
    BucketSpec client = BucketSpec.ec2(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES.family())
        .scaled(Ec2RateLimiter.BURST_HEADROOM, Ec2RateLimiter.RATE_HEADROOM);
    double clientFloor = Math.max(0, nodes - client.burst()) / (client.perSecond() * scale);
    System.out.printf("  client limiter runs at %.0f burst / %.0f per s (headroom %.0f%%/%.0f%%): its own floor %.2f s%n",
        client.burst(), client.perSecond() * scale, Ec2RateLimiter.BURST_HEADROOM * 100, Ec2RateLimiter.RATE_HEADROOM * 100,
        clientFloor);
    System.out.printf("  with limiter   : %.2f s, ratio to EC2 floor %.2f (to limiter floor %.2f), complete %d/%d, "
            + "RequestLimitExceeded %d, SDK retries %d, requests %s%n", limited.seconds, limited.seconds / floor,
        limited.seconds / clientFloor, limited.complete, nodes, limited.throttled, limited.retries, limited.calls);
    System.out.printf("  without limiter: %.2f s, complete %d/%d on the first pass, RequestLimitExceeded %d, SDK retries %d, "
            + "reasons %s%n", unlimited.seconds, unlimited.complete, nodes, unlimited.throttled, unlimited.retries,
        unlimited.reasons);
    if (limited.throttled != 0 || limited.complete != nodes) {
      System.out.println("  FAIL: the limiter let EC2 throttle or left nodes incomplete");
      System.exit(1);
    }
  }

  private record Run(double seconds, int complete, int throttled, int retries, Map<String, Integer> reasons,
      Map<String, Integer> calls) {}

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
    Ec2Gateway sdk = sdkRetries(ec2, scale, retries);
    Ec2Gateway gateway = withLimiter
        ? new ThrottledEc2Gateway(sdk, new Ec2RateLimiter(
            f -> scaled(BucketSpec.ec2(f).scaled(Ec2RateLimiter.BURST_HEADROOM, Ec2RateLimiter.RATE_HEADROOM), scale),
            Duration.ofMinutes(10), System::nanoTime))
        : sdk;
    Ec2AddressAllocator allocator = new Ec2AddressAllocator(r -> gateway, Clock.systemUTC());
    AwsSettings settings = new AwsSettings();
    settings.setInterfacesPerNode(1);
    settings.setSecondaryIpsPerInterface(1);

    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    List<Future<Allocation>> results = new ArrayList<>();
    for (Node n : all) {
      results.add(pool.submit(() -> allocator.ensure(n, settings, 1)));
    }
    int complete = 0;
    Map<String, Integer> reasons = new TreeMap<>();
    for (Future<Allocation> f : results) {
      Allocation a = f.get();
      if (a.complete()) {
        complete++;
      } else {
        reasons.merge(a.reason(), 1, Integer::sum);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    Map<String, Integer> calls = new TreeMap<>();
    for (Ec2Action a : Ec2Action.values()) {
      if (ec2.calls(a) > 0) {
        calls.put(a.apiName(), ec2.calls(a));
      }
    }
    return new Run(seconds, complete, ec2.throttledCalls(), retries.get(), reasons, calls);
  }

  /**
   * Stands in for the SDK's standard retry mode between the limiter and EC2: up to 3 attempts,
   * retrying RequestLimitExceeded after an exponential backoff with jitter (1 s base, 20 s cap,
   * divided by the time scale). Each attempt is a request EC2 charges a token for.
   */
  private static Ec2Gateway sdkRetries(Ec2Gateway ec2, double scale, AtomicInteger retries) {
    return (Ec2Gateway) Proxy.newProxyInstance(Ec2Gateway.class.getClassLoader(), new Class<?>[] {Ec2Gateway.class},
        (proxy, method, args) -> {
          for (int attempt = 1; ; attempt++) {
            try {
              return method.invoke(ec2, args);
            } catch (InvocationTargetException e) {
              boolean throttled = e.getCause() instanceof Ec2CallException c && c.code().equals("RequestLimitExceeded");
              if (!throttled || attempt == 3) {
                throw e.getCause();
              }
              retries.incrementAndGet();
              double backoffSeconds = Math.min(20, Math.pow(2, attempt - 1)) * ThreadLocalRandom.current().nextDouble(0.5, 1);
              Thread.sleep((long) (backoffSeconds * 1000 / scale));
            }
          }
        });
  }

  private static BucketSpec scaled(BucketSpec spec, double rateScale) {
    return new BucketSpec(spec.burst(), spec.perSecond() * rateScale);
  }
}
