package io.eniroute.operator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What an admin reads on the operator's /metrics about EC2: calls by action and code, throttles, latency, the EIP pool. */
class MeteredEc2GatewayTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final FakeEc2 ec2 = new FakeEc2();
  private final AtomicLong nanos = new AtomicLong();

  @Test
  void callsAreCountedByActionAndResultCode() {
    MeteredEc2Gateway gw = new MeteredEc2Gateway(ec2, registry, nanos::get);
    String subnet = ec2.subnet("10.0.1", 10);
    gw.describeInterfaces(Map.of("subnet-id", List.of(subnet)));
    gw.describeInterfaces(Map.of("subnet-id", List.of(subnet)));
    ec2.failNext(Ec2Action.ASSIGN_PRIVATE_IP_ADDRESSES, "PrivateIpAddressLimitExceeded");
    assertThatThrownBy(() -> gw.assignSecondaryIps("eni-1", 1)).isInstanceOf(Ec2CallException.class);

    String text = registry.scrape();
    assertThat(text)
        .contains("eniroute_ec2_calls_total{action=\"DescribeNetworkInterfaces\",code=\"Success\"} 2.0")
        .contains("eniroute_ec2_calls_total{action=\"AssignPrivateIpAddresses\",code=\"PrivateIpAddressLimitExceeded\"} 1.0")
        .doesNotContain("eniroute_ec2_throttles_total{");
  }

  @Test
  void ec2AndClientSideThrottlesAreCountedApart() {
    MeteredEc2Gateway gw = new MeteredEc2Gateway(ec2, registry, nanos::get);
    ec2.failNext(Ec2Action.CREATE_TAGS, "RequestLimitExceeded");
    ec2.failNext(Ec2Action.CREATE_TAGS, Ec2CallException.CLIENT_THROTTLED);
    assertThatThrownBy(() -> gw.createTags("eni-1", Map.of("a", "b"))).isInstanceOf(Ec2CallException.class);
    assertThatThrownBy(() -> gw.createTags("eni-1", Map.of("a", "b"))).isInstanceOf(Ec2CallException.class);

    assertThat(registry.scrape())
        .contains("eniroute_ec2_throttles_total{action=\"CreateTags\",source=\"ec2\"} 1.0")
        .contains("eniroute_ec2_throttles_total{action=\"CreateTags\",source=\"client\"} 1.0")
        .contains("eniroute_ec2_calls_total{action=\"CreateTags\",code=\"RequestLimitExceeded\"} 1.0");
  }

  @Test
  void latencyIsRecordedPerActionInSeconds() {
    String instance = ec2.type("c6i.large", 3, 10).instance("c6i.large", ec2.subnet("10.0.1", 10));
    ec2.before(Ec2Action.DESCRIBE_INSTANCES, f -> nanos.addAndGet(300_000_000L)); // the call takes 300 ms on the test's clock
    new MeteredEc2Gateway(ec2, registry, nanos::get).describeInstanceType(instance);

    String text = registry.scrape();
    assertThat(text).contains("eniroute_ec2_call_duration_seconds_count{action=\"DescribeInstances\"} 1")
        .contains("eniroute_ec2_call_duration_seconds_sum{action=\"DescribeInstances\"} 0.3")
        .contains("eniroute_ec2_call_duration_seconds_bucket{action=\"DescribeInstances\",le=\"0.25\"} 0")
        .contains("eniroute_ec2_call_duration_seconds_bucket{action=\"DescribeInstances\",le=\"0.5\"} 1");
  }

  @Test
  void aPoolLookUpByTagsSetsTheFreeAndUsedElasticIpGauges() {
    MeteredEc2Gateway gw = new MeteredEc2Gateway(ec2, registry, nanos::get);
    String subnet = ec2.subnet("10.0.1", 10);
    String instance = ec2.type("c6i.large", 3, 10).instance("c6i.large", subnet);
    String eni = ec2.interfacesOf(instance).get(0).id();
    String used = ec2.elasticIp(Map.of("eniroute.io/pool", "web"));
    ec2.elasticIp(Map.of("eniroute.io/pool", "web"));
    ec2.elasticIp(Map.of("eniroute.io/pool", "web"));
    ec2.elasticIp(Map.of("eniroute.io/pool", "db"));
    ec2.associateByHand(used, eni, ec2.interfacesOf(instance).get(0).primaryIp());

    gw.describeAddresses(Map.of("tag:eniroute.io/pool", List.of("web")));
    // a look-up by interface is not a pool look-up and leaves the gauges alone
    gw.describeAddresses(Map.of("network-interface-id", List.of(eni)));

    assertThat(registry.scrape())
        .contains("eniroute_elastic_ip_pool_addresses{pool=\"eniroute.io/pool=web\",state=\"free\"} 2.0")
        .contains("eniroute_elastic_ip_pool_addresses{pool=\"eniroute.io/pool=web\",state=\"used\"} 1.0")
        .doesNotContain("pool=\"network-interface-id");
  }
}
