package io.eniroute.agent;

/** Entry point of {@code eniroute-agent}. The commands arrive with the agent engine. */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) {
    System.out.println("usage: eniroute-agent <plan|apply|revert|status|run|cluster> [options]");
    System.exit(args.length == 0 ? 0 : 2);
  }
}
