package io.eniroute.agent.bench;

/** The floor of the footprint benchmark: a JVM that only sleeps (same flags as the agent). */
public final class IdleJvm {
  private IdleJvm() {}

  public static void main(String[] args) throws InterruptedException {
    Thread.sleep(Long.MAX_VALUE);
  }
}
