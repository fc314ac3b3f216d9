package io.eniroute.operator.aws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Counts and times every EC2 call that passes through it, and reads the Elastic IP pool's size
 * off the pool look-ups it sees (a DescribeAddresses filtered by tags only):
 * <ul>
 *   <li>{@code eniroute_ec2_calls_total{action, code}}: code is {@code Success} or EC2's error
 *       code ({@code ClientThrottled}: eniroute's own limiter gave up waiting; {@code Unreachable});
 *   <li>{@code eniroute_ec2_throttles_total{action, source}}: source {@code ec2} for
 *       RequestLimitExceeded/Throttling, {@code client} for the limiter;
 *   <li>{@code eniroute_ec2_retries_total{action}}: retries the SDK sent (its standard mode retries
 *       throttling, 5xx and network errors; each retry also took a limiter token), counted by
 *       {@link #retryCounter} from the SDK client's interceptor;
 *   <li>{@code eniroute_ec2_call_duration_seconds{action}}: as the operator waits for the call
 *       (limiter wait and SDK retries included, when this wraps the limiter as wired);
 *   <li>{@code eniroute_elastic_ip_pool_addresses{pool, state}}: free and used allocations of a pool.
 * </ul>
 */
public final class MeteredEc2Gateway implements Ec2Gateway {
  static final String CALLS = "eniroute.ec2.calls";
  static final String THROTTLES = "eniroute.ec2.throttles";
  static final String DURATION = "eniroute.ec2.call.duration";
  static final String RETRIES = "eniroute.ec2.retries";
  static final String POOL = "eniroute.elastic.ip.pool.addresses";
  static final String SUCCESS = "Success";

  private final Ec2Gateway next;
  private final MeterRegistry registry;
  private final LongSupplier nanoTime;
  private final Map<String, AtomicLong> poolSizes = new ConcurrentHashMap<>();

  public MeteredEc2Gateway(Ec2Gateway next, MeterRegistry registry) {
    this(next, registry, System::nanoTime);
  }

  MeteredEc2Gateway(Ec2Gateway next, MeterRegistry registry, LongSupplier nanoTime) {
    this.next = next;
    this.registry = registry;
    this.nanoTime = nanoTime;
  }

  /** Counts SDK retries in {@code registry}; give it to {@link Ec2Allocators#sdkGateways}. */
  public static Ec2RetryListener retryCounter(MeterRegistry registry) {
    return action -> Counter.builder(RETRIES)
        .description("Retries the SDK sent for EC2 calls (each one a request EC2 and the limiter charge a token for)")
        .tag("action", action.apiName()).register(registry).increment();
  }

  @Override
  public List<Eni> describeInterfaces(Map<String, List<String>> filters) {
    return call(Ec2Action.DESCRIBE_NETWORK_INTERFACES, () -> next.describeInterfaces(filters));
  }

  @Override
  public Optional<String> describeInstanceType(String instanceId) {
    return call(Ec2Action.DESCRIBE_INSTANCES, () -> next.describeInstanceType(instanceId));
  }

  @Override
  public InstanceTypeLimits describeTypeLimits(String instanceType) {
    return call(Ec2Action.DESCRIBE_INSTANCE_TYPES, () -> next.describeTypeLimits(instanceType));
  }

  @Override
  public Optional<String> describeSubnetCidr(String subnetId) {
    return call(Ec2Action.DESCRIBE_SUBNETS, () -> next.describeSubnetCidr(subnetId));
  }

  @Override
  public Eni createInterface(String subnetId, List<String> securityGroupIds, String clientToken, Map<String, String> tags) {
    return call(Ec2Action.CREATE_NETWORK_INTERFACE, () -> next.createInterface(subnetId, securityGroupIds, clientToken, tags));
  }

  @Override
  public String attachInterface(String interfaceId, String instanceId, int deviceIndex, int networkCard) {
    return call(Ec2Action.ATTACH_NETWORK_INTERFACE, () -> next.attachInterface(interfaceId, instanceId, deviceIndex, networkCard));
  }

  @Override
  public void setDeleteOnTermination(String interfaceId, String attachmentId) {
    run(Ec2Action.MODIFY_NETWORK_INTERFACE_ATTRIBUTE, () -> next.setDeleteOnTermination(interfaceId, attachmentId));
  }

  @Override
  public List<String> assignSecondaryIps(String interfaceId, int count) {
    return call(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES, () -> next.assignSecondaryIps(interfaceId, count));
  }

  @Override
  public void unassignSecondaryIps(String interfaceId, List<String> privateIps) {
    run(Ec2Action.UNASSIGN_PRIVATE_IP_ADDRESSES, () -> next.unassignSecondaryIps(interfaceId, privateIps));
  }

  @Override
  public List<ElasticIp> describeAddresses(Map<String, List<String>> filters) {
    List<ElasticIp> found = call(Ec2Action.DESCRIBE_ADDRESSES, () -> next.describeAddresses(filters));
    poolName(filters).ifPresent(pool -> {
      long used = found.stream().filter(ElasticIp::associated).count();
      poolSize(pool, "used").set(used);
      poolSize(pool, "free").set(found.size() - used);
    });
    return found;
  }

  @Override
  public String associateAddress(String allocationId, String interfaceId, String privateIp) {
    return call(Ec2Action.ASSOCIATE_ADDRESS, () -> next.associateAddress(allocationId, interfaceId, privateIp));
  }

  @Override
  public void disassociateAddress(String associationId) {
    run(Ec2Action.DISASSOCIATE_ADDRESS, () -> next.disassociateAddress(associationId));
  }

  @Override
  public void detachInterface(String attachmentId) {
    run(Ec2Action.DETACH_NETWORK_INTERFACE, () -> next.detachInterface(attachmentId));
  }

  @Override
  public void deleteInterface(String interfaceId) {
    run(Ec2Action.DELETE_NETWORK_INTERFACE, () -> next.deleteInterface(interfaceId));
  }

  @Override
  public void createTags(String resourceId, Map<String, String> tags) {
    run(Ec2Action.CREATE_TAGS, () -> next.createTags(resourceId, tags));
  }

  @Override
  public void deleteTags(String resourceId, Set<String> keys) {
    run(Ec2Action.DELETE_TAGS, () -> next.deleteTags(resourceId, keys));
  }

  private void run(Ec2Action action, Runnable body) {
    call(action, () -> {
      body.run();
      return null;
    });
  }

  private <T> T call(Ec2Action action, Supplier<T> body) {
    long start = nanoTime.getAsLong();
    String code = SUCCESS;
    try {
      return body.get();
    } catch (Ec2CallException e) {
      code = e.code();
      throw e;
    } catch (RuntimeException e) {
      code = "Unknown";
      throw e;
    } finally {
      record(action, code, Duration.ofNanos(nanoTime.getAsLong() - start));
    }
  }

  private void record(Ec2Action action, String code, Duration took) {
    String name = action.apiName();
    Counter.builder(CALLS).description("EC2 API calls by action and result code (Success or EC2's error code)")
        .tags("action", name, "code", code).register(registry).increment();
    String source = switch (code) {
      case "RequestLimitExceeded", "Throttling" -> "ec2";
      case Ec2CallException.CLIENT_THROTTLED -> "client";
      default -> null;
    };
    if (source != null) {
      Counter.builder(THROTTLES).description("EC2 calls refused for rate: by EC2 (after the SDK's retries) or by eniroute's limiter")
          .tags("action", name, "source", source).register(registry).increment();
    }
    Timer.builder(DURATION).description("Time the operator waited for one EC2 call (limiter wait and SDK retries included)")
        .tag("action", name)
        .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30))
        .register(registry).record(took);
  }

  private AtomicLong poolSize(String pool, String state) {
    return poolSizes.computeIfAbsent(pool + "/" + state, k -> {
      AtomicLong v = new AtomicLong();
      Gauge.builder(POOL, v, AtomicLong::get).description("Elastic IP allocations of a pool (poolTags), free or associated, as last described")
          .tags(Tags.of("pool", pool, "state", state)).register(registry);
      return v;
    });
  }

  /** A look-up by tags only is a pool look-up; its name is the tags, e.g. {@code eniroute.io/pool=web}. */
  static Optional<String> poolName(Map<String, List<String>> filters) {
    if (filters.isEmpty() || !filters.keySet().stream().allMatch(k -> k.startsWith("tag:"))) {
      return Optional.empty();
    }
    return Optional.of(new TreeMap<>(filters).entrySet().stream()
        .map(e -> e.getKey().substring("tag:".length()) + "=" + String.join("|", e.getValue()))
        .collect(Collectors.joining(",")));
  }
}
