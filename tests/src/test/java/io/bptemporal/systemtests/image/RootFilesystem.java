package io.bptemporal.systemtests.image;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/**
 * Unpacks image layers in order into one directory, the way overlayfs presents them to a container:
 * a later layer's {@code .wh.NAME} entry deletes NAME of the layers below, and {@code .wh..wh..opq}
 * in a directory hides everything the layers below put there. Whiteout entries themselves never
 * appear.
 */
public final class RootFilesystem {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";

  private RootFilesystem() {}

  /**
   * Applies {@code layers} (lowest first) onto {@code rootfs}, creating it when absent; returns it.
   */
  public static Path assemble(List<Path> layers, Path rootfs)
      throws IOException, InterruptedException {
    Files.createDirectories(rootfs);
    for (Path layer : layers) {
      applyWhiteouts(layer, rootfs);
      // Whiteouts only affect lower layers; the layer's own entries are extracted after them. As
      // root tar
      // keeps the recorded owners and modes (e.g. the non-root user's home directory).
      Tar.run(
          List.of(
              "tar",
              "-xf",
              layer.toString(),
              "-C",
              rootfs.toString(),
              "--numeric-owner",
              "--exclude=" + WHITEOUT + "*"),
          "unpack layer " + layer.getFileName());
    }
    return rootfs;
  }

  private static void applyWhiteouts(Path layer, Path rootfs)
      throws IOException, InterruptedException {
    String listing =
        Tar.run(
            List.of("tar", "-tf", layer.toString(), "--quoting-style=literal"),
            "list layer " + layer.getFileName());
    for (String line : listing.split("\n")) {
      String entry = stripLeading(line);
      int slash = entry.lastIndexOf('/', entry.endsWith("/") ? entry.length() - 2 : entry.length());
      String name = entry.substring(slash + 1);
      if (!name.startsWith(WHITEOUT)) {
        continue;
      }
      Path directory = inside(rootfs, slash < 0 ? "" : entry.substring(0, slash));
      if (name.equals(OPAQUE)) {
        if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
          try (Stream<Path> children = Files.list(directory)) {
            for (Path child : children.toList()) {
              deleteTree(child);
            }
          }
        }
      } else {
        deleteTree(inside(rootfs, directory.resolve(name.substring(WHITEOUT.length())).toString()));
      }
    }
  }

  private static String stripLeading(String entry) {
    String result = entry;
    while (result.startsWith("./") || result.startsWith("/")) {
      result = result.substring(result.indexOf('/') + 1);
    }
    return result;
  }

  /**
   * Resolves an entry below the root, refusing names that climb out of it (a hostile or broken
   * layer).
   */
  private static Path inside(Path rootfs, String entry) {
    Path resolved = rootfs.resolve(entry).normalize();
    if (!resolved.startsWith(rootfs.normalize())) {
      throw new IllegalArgumentException(
          "layer entry '" + entry + "' points outside the root filesystem");
    }
    return resolved;
  }

  /**
   * Deletes a file, link or directory tree without following links (a link may point at the host's
   * /).
   */
  static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException failure)
              throws IOException {
            if (failure != null) {
              throw failure;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
