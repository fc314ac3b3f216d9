package io.eniroute.operator.bench;

import io.eniroute.crds.v1alpha1.AwsSettings;
import io.eniroute.operator.aws.Allocation;
import io.eniroute.operator.aws.BucketSpec;
import io.eniroute.operator.aws.Ec2Action;
import io.eniroute.operator.aws.Ec2AddressAllocator;
import io.eniroute.operator.aws.Ec2Gateway;
import io.eniroute.operator.aws.Ec2RateLimiter;
import io.eniroute.operator.aws.Ec2Target;
import io.eniroute.operator.aws.FakeEc2;
import io.eniroute.operator.aws.ThrottledEc2Gateway;
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

/**
 * {@code bin/bench ec2-throttle [nodes] [timeScale] [threads]}: N simulated nodes, each needing one
 * more secondary IP, reconciled in parallel against the in-memory EC2 that throttles with EC2's
 * token buckets (RequestLimitExceeded when a bucket is empty). Prints the total time against the
 * theoretical floor of the binding bucket, ((calls - burst) / rate), and the throttling errors
 * (expected: zero). Same-run baseline: the same nodes without the client-side limiter.
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

    BucketSpec mutating = BucketSpec.EC2_MUTATING;
    double floor = Math.max(0, nodes - mutating.burst()) / (mutating.perSecond() * scale);
    BucketSpec describe = BucketSpec.EC2_DESCRIBE;
    double describeFloor = Math.max(0, 2.0 * nodes - describe.burst()) / (describe.perSecond() * scale);
    System.out.printf("  EC2 buckets (scaled): mutating %.0f burst / %.0f per s, describe %.0f / %.0f per s%n",
        mutating.burst(), mutating.perSecond() * scale, describe.burst(), describe.perSecond() * scale);
    System.out.printf("  floor: AssignPrivateIpAddresses (%d - %.0f) / %.0f per s = %.2f s (describe floor %.2f s)%n",
        nodes, mutating.burst(), mutating.perSecond() * scale, floor, describeFloor);
    BucketSpec client = mutating.scaled(Ec2RateLimiter.BURST_HEADROOM, Ec2RateLimiter.RATE_HEADROOM);
    double clientFloor = Math.max(0, nodes - client.burst()) / (client.perSecond() * scale);
    System.out.printf("  client limiter runs at %.0f burst / %.0f per s (headroom %.0f%%/%.0f%%): its own floor %.2f s%n",
        client.burst(), client.perSecond() * scale, Ec2RateLimiter.BURST_HEADROOM * 100, Ec2RateLimiter.RATE_HEADROOM * 100,
        clientFloor);
    System.out.printf("  with limiter   : %.2f s, ratio to EC2 floor %.2f (to limiter floor %.2f), complete %d/%d, "
            + "RequestLimitExceeded %d, calls %s%n", limited.seconds, limited.seconds / floor, limited.seconds / clientFloor,
        limited.complete, nodes, limited.throttled, limited.calls);
    System.out.printf("  without limiter: %.2f s, complete %d/%d on the first pass, RequestLimitExceeded %d, reasons %s%n",
        unlimited.seconds, unlimited.complete, nodes, unlimited.throttled, unlimited.reasons);
    if (limited.throttled != 0 || limited.complete != nodes) {
      System.out.println("  FAIL: the limiter let EC2 throttle or left nodes incomplete");
      System.exit(1);
    }
  }

  private record Run(double seconds, int complete, int throttled, Map<String, Integer> reasons, Map<String, Integer> calls) {}

  private static Run run(int nodes, double scale, int threads, boolean withLimiter) throws Exception {
    FakeEc2 ec2 = new FakeEc2(f -> scaled(BucketSpec.ec2(f), scale)).type("t3.medium", 3, 6);
    String subnet = ec2.subnet("10.0", nodes * 3);
    List<Node> all = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      String instance = ec2.instance("t3.medium", subnet);
      all.add(new NodeBuilder().withNewMetadata().withName("node-" + i)
          .addToLabels(Ec2Target.REGION_LABEL, "us-east-1").addToLabels(Ec2Target.INSTANCE_TYPE_LABEL, "t3.medium")
          .endMetadata().withNewSpec().withProviderID("aws:///us-east-1a/" + instance).endSpec().build());
    }
    Ec2Gateway gateway = withLimiter
        ? new ThrottledEc2Gateway(ec2, new Ec2RateLimiter(
            f -> scaled(BucketSpec.ec2(f).scaled(Ec2RateLimiter.BURST_HEADROOM, Ec2RateLimiter.RATE_HEADROOM), scale),
            Duration.ofMinutes(10), System::nanoTime))
        : ec2;
    Ec2AddressAllocator allocator = new Ec2AddressAllocator(r -> gateway, Clock.systemUTC());
    AwsSettings settings = new AwsSettings();
    settings.setInterfacesPerNode(1);
    settings.setSecondaryIpsPerInterface(1);

    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    List<Future<Allocation>> results = new ArrayList<>();
    for (Node n : all) {
      results.add(pool.submit(() -> allocator.ensure(n, settings)));
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
    return new Run(seconds, complete, ec2.throttledCalls(), reasons, calls);
  }

  private static BucketSpec scaled(BucketSpec spec, double rateScale) {
    return new BucketSpec(spec.burst(), spec.perSecond() * rateScale);
  }
}
