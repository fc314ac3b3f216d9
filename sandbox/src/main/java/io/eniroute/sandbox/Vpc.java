package io.eniroute.sandbox;

import io.eniroute.lab.VpcCniActor;
import java.util.List;

/**
 * What the sandbox needs from the VPC-like network lab: node namespaces whose ENIs hang off the
 * VPC bridge with the source/destination check, and an outside client. Implemented on the
 * {@code lab} module by {@link LabVpc}.
 */
public interface Vpc extends AutoCloseable {
  String GATEWAY = "10.0.0.1";
  int PREFIX = 24;

  /** Creates the node's network namespace; returns its name (what {@code --netns} gets). */
  String addNode(String node);

  /** Plugs an ENI into the node: a veth named {@code ifname} in the node namespace with this MAC, link up, no address. */
  void attachEni(String node, String ifname, String mac);

  /** Unplugs it (EC2 detached the ENI). */
  void detachEni(String node, String mac);

  /** The VPC now delivers {@code addr} to this ENI and lets it send from it (the src/dst check). */
  void assignAddress(String node, String mac, String addr);

  /** The VPC no longer knows {@code addr} on this ENI. */
  void unassignAddress(String node, String mac, String addr);

  /** True when the outside client gets an answer from {@code addr} (ping through the gateway). */
  boolean clientReaches(String addr);

  /** The outside client's address (what node replies are addressed to). */
  String clientAddress();

  /** Runs {@code ip ARGS} in the node's namespace (what a person would type on the node); returns stdout. */
  String ip(String node, String... args);

  /**
   * The AWS VPC CNI as co-tenant on {@code node} (pods in their own namespaces, the CNI's host
   * routing); the caller closes it. Its namespaces belong to this VPC and go with it.
   */
  VpcCniActor vpcCni(String node, String primaryIfname);

  /** Namespaces this VPC created (for the summary and for cleanup checks). */
  List<String> namespaces();

  @Override
  void close();
}
