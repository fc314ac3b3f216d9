package io.eniroute.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The command line of a moto_server that picks private addresses the way EC2 does. moto chooses
 * them at random in the whole subnet, duplicates included (an ENI's secondary can equal another
 * ENI's address), which real EC2 never does; moto_vpc.py (next to this class) fixes that, and
 * stores ModifyNetworkInterfaceAttribute's Attachment.DeleteOnTermination, which moto ignores.
 * Used by the sandbox and by the operator's moto tests alike.
 */
public final class MotoCommand {
  private MotoCommand() {}

  /**
   * python3 moto_vpc.py when python3 can import moto (the script is written into {@code dir});
   * the plain moto_server otherwise.
   */
  public static List<String> forPort(int port, Path dir) throws IOException {
    String p = Integer.toString(port);
    Cmd.Result canImport = Cmd.run(List.of("python3", "-c", "import moto.server, moto.ec2.models.elastic_network_interfaces"), null, 60_000);
    if (!canImport.ok()) {
      return List.of("moto_server", "-H", "127.0.0.1", "-p", p);
    }
    Path script = dir.resolve("moto_vpc.py");
    try (InputStream in = MotoCommand.class.getResourceAsStream("moto_vpc.py")) {
      Files.write(script, in.readAllBytes());
    }
    return List.of("python3", script.toString(), "-H", "127.0.0.1", "-p", p);
  }
}
