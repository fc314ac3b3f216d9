package io.eniroute.sandbox;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * EC2 when moto_server is not installed: instances, ENIs and addresses kept in this process.
 * The operator (a separate process) cannot reach it, so in this mode the sandbox itself plays
 * the administrator who gives every instance its second ENI and secondary addresses, and the
 * policy carries no {@code aws} section: the operator's EC2 path is NOT exercised. The output
 * says so.
 */
public final class InMemoryEc2 implements Ec2Environment {
  private final List<Ec2Interface> interfaces = new ArrayList<>();
  private int nextHost = 4; // EC2 reserves .0-.3 and .255 of every subnet
  private int nextId = 1;

  @Override
  public String label() {
    return "in-memory EC2 fake (moto_server not found): addresses pre-assigned by the sandbox, operator EC2 path NOT exercised";
  }

  @Override
  public Optional<String> endpoint() {
    return Optional.empty();
  }

  @Override
  public String subnetId() {
    return "subnet-0sandbox0000000";
  }

  @Override
  public synchronized List<Ec2Instance> launch(List<String> nodes) {
    List<Ec2Instance> out = new ArrayList<>();
    for (String node : nodes) {
      String id = "i-%017x".formatted(nextId++);
      out.add(new Ec2Instance(node, id, ZONE));
      interfaces.add(new Ec2Interface(eniId(), mac(), id, 0, List.of(nextIp())));
    }
    return out;
  }

  @Override
  public synchronized List<Ec2Interface> attachedInterfaces() {
    List<Ec2Interface> out = new ArrayList<>(interfaces);
    out.sort(Comparator.comparing(Ec2Interface::instanceId).thenComparingInt(Ec2Interface::deviceIndex));
    return out;
  }

  @Override
  public synchronized Ec2Interface attachByHand(String instanceId, int secondaryIps) {
    int next = interfaces.stream().filter(e -> e.instanceId().equals(instanceId))
        .mapToInt(Ec2Interface::deviceIndex).max().orElse(-1) + 1;
    List<String> ips = new ArrayList<>();
    for (int i = 0; i <= secondaryIps; i++) {
      ips.add(nextIp());
    }
    Ec2Interface eni = new Ec2Interface(eniId(), mac(), instanceId, next, ips);
    interfaces.add(eni);
    return eni;
  }

  @Override
  public synchronized void assignSecondary(String eniId, int count) {
    for (int i = 0; i < interfaces.size(); i++) {
      Ec2Interface e = interfaces.get(i);
      if (e.id().equals(eniId)) {
        List<String> ips = new ArrayList<>(e.privateIps());
        for (int k = 0; k < count; k++) {
          ips.add(nextIp());
        }
        interfaces.set(i, new Ec2Interface(e.id(), e.mac(), e.instanceId(), e.deviceIndex(), ips));
        return;
      }
    }
    throw new IllegalArgumentException("no ENI " + eniId);
  }

  @Override
  public boolean allocateElasticIpPool(int count, String tagKey, String tagValue) {
    return false; // the operator cannot reach this EC2, so it could not associate them anyway
  }

  @Override
  public java.util.Map<String, Integer> elasticIpsByInstance() {
    return java.util.Map.of();
  }

  private String nextIp() {
    if (nextHost > 254) {
      throw new IllegalStateException("subnet 10.0.0.0/24 is full");
    }
    return "10.0.0." + nextHost++;
  }

  private String eniId() {
    return "eni-%017x".formatted(nextId++);
  }

  private static String mac() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "02:%02x:%02x:%02x:%02x:%02x".formatted(r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256));
  }

  @Override
  public void close() {}
}
