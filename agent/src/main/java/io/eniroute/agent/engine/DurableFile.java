package io.eniroute.agent.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a small file so that after a crash or power cut it holds either the old or the new
 * bytes, and the new ones once this returns: temporary file, fsync, atomic rename, fsync of the
 * directory (which makes the rename itself durable). Used for the journal and the ownership
 * record, the two files recovery and revert depend on.
 */
public final class DurableFile {
  private DurableFile() {}

  public static void replace(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    fsyncDirectory(dir);
  }

  /** Deletes {@code file} durably (the directory entry is gone after a crash too). */
  public static void delete(Path file) throws IOException {
    if (Files.deleteIfExists(file)) {
      fsyncDirectory(file.toAbsolutePath().getParent());
    }
  }

  /** Linux allows fsync on a directory opened for reading; other systems may refuse (then the rename is atomic, not durable). */
  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException notSupported) {
      // e.g. a file system without directory fsync: nothing more can be done
    }
  }
}
