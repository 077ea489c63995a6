package io.bptemporal.systemtests.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An image tar as {@code jib:buildTar} (or {@code docker save}) writes it, opened: its config and
 * its layer files in order. Reads both layouts: Docker ({@code manifest.json} naming config and
 * layers) and OCI ({@code index.json} → manifest blob → config and layer blobs).
 *
 * @param source the image tar
 * @param config how the image starts
 * @param layers the layer files, lowest first (gzip or plain tar)
 * @param layerBytes the summed size of the layer files as stored in the tar (what a registry would
 *     hold)
 */
public record ImageArchive(Path source, ImageConfig config, List<Path> layers, long layerBytes) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public ImageArchive {
    layers = List.copyOf(layers);
  }

  /**
   * Extracts {@code imageTar} below {@code scratch} (which must be empty or absent) and reads it.
   */
  public static ImageArchive read(Path imageTar, Path scratch)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(imageTar)) {
      throw new IllegalArgumentException(
          "image tar " + imageTar + " does not exist or is not a file");
    }
    Files.createDirectories(scratch);
    Tar.run(
        List.of("tar", "-xf", imageTar.toString(), "-C", scratch.toString()),
        "extract image tar " + imageTar);
    Path dockerManifest = scratch.resolve("manifest.json");
    Path ociIndex = scratch.resolve("index.json");
    JsonNode configJson;
    List<Path> layers = new ArrayList<>();
    if (Files.isRegularFile(dockerManifest)) {
      JsonNode manifest = JSON.readTree(dockerManifest.toFile());
      if (!manifest.isArray() || manifest.size() != 1) {
        throw new IllegalArgumentException(
            imageTar + ": manifest.json must list exactly one image, found " + manifest.size());
      }
      JsonNode image = manifest.get(0);
      configJson =
          JSON.readTree(existing(scratch, image.path("Config").asText(), imageTar).toFile());
      for (JsonNode layer : image.path("Layers")) {
        layers.add(existing(scratch, layer.asText(), imageTar));
      }
    } else if (Files.isRegularFile(ociIndex)) {
      JsonNode index = JSON.readTree(ociIndex.toFile());
      JsonNode manifest =
          JSON.readTree(
              blob(scratch, index.path("manifests").path(0).path("digest").asText(), imageTar)
                  .toFile());
      configJson =
          JSON.readTree(
              blob(scratch, manifest.path("config").path("digest").asText(), imageTar).toFile());
      for (JsonNode layer : manifest.path("layers")) {
        layers.add(blob(scratch, layer.path("digest").asText(), imageTar));
      }
    } else {
      throw new IllegalArgumentException(
          imageTar
              + " is neither a Docker image tar (manifest.json) nor an OCI "
              + "layout (index.json)");
    }
    int diffIds = configJson.path("rootfs").path("diff_ids").size();
    if (diffIds != layers.size()) {
      throw new IllegalArgumentException(
          imageTar + ": the config names " + diffIds + " layers, the manifest " + layers.size());
    }
    long bytes = 0;
    for (Path layer : layers) {
      bytes += Files.size(layer);
    }
    return new ImageArchive(imageTar, ImageConfig.fromJson(configJson), layers, bytes);
  }

  private static Path blob(Path scratch, String digest, Path imageTar) {
    if (!digest.startsWith("sha256:")) {
      throw new IllegalArgumentException(
          imageTar + ": unsupported digest '" + digest + "' (expected sha256:...)");
    }
    return existing(scratch, "blobs/sha256/" + digest.substring("sha256:".length()), imageTar);
  }

  private static Path existing(Path scratch, String name, Path imageTar) {
    Path file = scratch.resolve(name).normalize();
    if (name.isEmpty() || !file.startsWith(scratch) || !Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          imageTar + " names '" + name + "', which is not a file in the tar");
    }
    return file;
  }
}
