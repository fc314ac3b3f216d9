package io.eniroute.sandbox;

import java.nio.file.Path;

/** One node of the sandbox: its EC2 instance, its network namespace and its agent process. */
public final class SandboxNode {
  private final String name;
  private final String netns;
  private final Ec2Instance instance;
  private final Path stateDir;
  private ProcessSupervisor.Managed agent;

  SandboxNode(String name, String netns, Ec2Instance instance, Path stateDir) {
    this.name = name;
    this.netns = netns;
    this.instance = instance;
    this.stateDir = stateDir;
  }

  public String name() { return name; }
  public String netns() { return netns; }
  public Ec2Instance instance() { return instance; }
  public Path stateDir() { return stateDir; }
  public ProcessSupervisor.Managed agent() { return agent; }
  void agent(ProcessSupervisor.Managed agent) { this.agent = agent; }
}
