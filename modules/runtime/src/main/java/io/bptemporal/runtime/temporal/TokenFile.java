package io.bptemporal.runtime.temporal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;

/**
 * The process's token from {@code TEMPORAL_AUTH_TOKEN_FILE} (e.g. a JWT in a mounted Secret, or a
 * file an agent refreshes), read again whenever the file's modification time changes: a rotated
 * token is used from the next call on, without a restart. The token itself never reaches a log.
 */
final class TokenFile implements Supplier<String> {
  private final Path file;
  private FileTime readAt;
  private String token;

  TokenFile(Path file) {
    this.file = file;
  }

  @Override
  public synchronized String get() {
    try {
      // Kubernetes swaps a Secret's files through a symlink: follow it, its target's time changes.
      FileTime modified = Files.getLastModifiedTime(file);
      if (token == null || !modified.equals(readAt)) {
        String read = Files.readString(file).strip();
        if (read.isEmpty()) {
          throw new IllegalStateException(
              "TEMPORAL_AUTH_TOKEN_FILE=" + file + " is empty: it must hold the process's token");
        }
        token = read;
        readAt = modified;
      }
      return token;
    } catch (IOException e) {
      if (token != null) {
        // Mid-rotation (file briefly missing): keep the last token, the server judges it.
        return token;
      }
      throw new UncheckedIOException(
          "cannot read TEMPORAL_AUTH_TOKEN_FILE=" + file + ": " + e.getMessage(), e);
    }
  }
}
