package io.eniroute.agent.kernel;

/**
 * The outcome of one {@code ip -batch} run, which stops at the first failing line.
 *
 * @param executed lines that succeeded (all of them when {@code failedLine} is -1)
 * @param failedLine 0-based index of the failing line, -1 when all succeeded
 * @param error the kernel's / iproute2's message for the failing line
 */
public record BatchResult(int executed, int failedLine, String error) {
  public boolean ok() {
    return failedLine < 0;
  }
}
