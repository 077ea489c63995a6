package io.bptemporal.systemtests.image;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the checkout is, found from the test's working directory (failsafe runs in tests/). */
final class ProjectLayout {
  private ProjectLayout() {}

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve("scripts/build-base-image"))
          && Files.isDirectory(candidate.resolve("modules"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no bp-temporal checkout (scripts/build-base-image, modules/) at or above " + dir);
  }
}
