package io.bptemporal.pipeline.source;

import io.bptemporal.pipeline.PipelineSetupException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns {@code source.location} of a file source into a readable file on the worker's file system.
 */
final class FileLocation {
  static final String ACCEPTED =
      "a path of a file the pipeline worker can read (on Kubernetes: a mounted volume), "
          + "or a file: URL, e.g. /data/in/customers.ndjson or file:///data/in/customers.ndjson";

  private FileLocation() {}

  static Path resolve(String location) {
    Path path;
    try {
      if (location.startsWith("file:")) {
        path = Path.of(URI.create(location));
      } else if (location.contains("://")) {
        throw new PipelineSetupException(
            "source.location '"
                + location
                + "' is a URL the worker cannot read; accepted: "
                + ACCEPTED);
      } else {
        path = Path.of(location);
      }
    } catch (IllegalArgumentException e) {
      throw new PipelineSetupException(
          "source.location '"
              + location
              + "' is not a file path ("
              + e.getMessage()
              + "); accepted: "
              + ACCEPTED,
          e);
    }
    if (!Files.isRegularFile(path)) {
      throw new PipelineSetupException(
          "source.location '"
              + location
              + "' does not exist on the pipeline worker or is not"
              + " a regular file; accepted: "
              + ACCEPTED);
    }
    if (!Files.isReadable(path)) {
      throw new PipelineSetupException(
          "source.location '" + location + "' is not readable by the pipeline worker's user");
    }
    return path;
  }
}
