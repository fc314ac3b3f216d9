package io.eniroute.operator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The control plane's processes (children of this JVM): their CPU time and peak RSS, for the benchmark table. */
final class ServerProcess {
  private ServerProcess() {}

  static ProcessHandle find(String binary) {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/" + binary)).orElse(false))
        .findFirst().orElseThrow(() -> new IllegalStateException("no " + binary + " process under this JVM"));
  }

  static Duration cpu(ProcessHandle p) {
    return p.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** VmHWM from /proc/PID/status: the resident set's high-water mark. */
  static long peakRssKiB(ProcessHandle p) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
