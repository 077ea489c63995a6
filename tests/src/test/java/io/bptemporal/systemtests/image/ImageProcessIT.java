package io.bptemporal.systemtests.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness itself, on a real image: the offline base from scripts/build-base-image plus one
 * layer with {@link ReadyzProbe} (and a whiteout), written as a Docker-format tar like jib:buildTar
 * writes, then unpacked and run as the image's non-root user. ImageSmokeIT relies on every
 * behaviour checked here.
 */
class ImageProcessIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void needsRoot() throws IOException {
    // Namespaces and chroot need root, as a container engine does; CI and our machines run as root.
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    Assumptions.assumeTrue(
        uid.equals(0),
        () -> {
          String why =
              "ImageProcessIT needs root (unshare + chroot run the image without an engine); uid is "
                  + uid;
          System.out.println(why);
          return why;
        });
  }

  @Test
  void runsTheEntrypointAsTheImageUserInItsOwnRootUntilSigterm(@TempDir Path scratch)
      throws Exception {
    Path imageTar = probeImage(scratch);
    ImageArchive image = ImageArchive.read(imageTar, scratch.resolve("read"));
    assertThat(image.config().user()).isEqualTo("65532:65532");
    Path rootfs = RootFilesystem.assemble(image.layers(), scratch.resolve("rootfs"));
    // The probe layer's whiteout removed a file of the base; its neighbours stay.
    assertThat(rootfs.resolve("usr/share/doc/libc6/copyright")).doesNotExist();
    assertThat(rootfs.resolve("usr/share/doc/libc-bin/copyright")).exists();
    assertThat(rootfs.resolve("usr/share/doc/libc6/.wh.copyright")).doesNotExist();

    int port = freePort();
    try (ServerSocket host = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Boolean> reached =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  host.accept().close();
                  return true;
                } catch (IOException e) {
                  return false;
                }
              });
      try (ImageProcess process =
          ImageProcess.start(
              "probe",
              rootfs,
              image.config(),
              Map.of(
                  "MANAGEMENT_PORT",
                  String.valueOf(port),
                  "HOST_PROBE_PORT",
                  String.valueOf(host.getLocalPort())))) {
        Duration ready = process.awaitHttpOk(port, "/readyz", Duration.ofSeconds(30));
        System.out.println("ImageProcessIT: probe image ready in " + ready.toMillis() + " ms");

        assertThat(reached.get(10, TimeUnit.SECONDS))
            .as("the process reached 127.0.0.1 of the host")
            .isTrue();
        String status = Files.readString(Path.of("/proc/" + process.pid() + "/status"));
        assertThat(status)
            .containsPattern("(?m)^Uid:\\s+65532\\s+65532\\s+65532\\s+65532$")
            .containsPattern("(?m)^Gid:\\s+65532\\s+65532\\s+65532\\s+65532$")
            .containsPattern("(?m)^Groups:\\s*$");
        awaitLine(process, "probe: pid ");
        assertThat(process.output())
            .anyMatch(
                line ->
                    line.startsWith(
                        "probe: pid 1 user app cwd /home/app writable-tmp true java 25"));

        assertThat(process.stop(Duration.ofSeconds(20))).as("exit code after SIGTERM").isZero();
        assertThat(process.output()).contains("probe: SIGTERM, stopping");
      }
    }
  }

  private static void awaitLine(ImageProcess process, String prefix) {
    Awaitility.await("a line starting with '" + prefix + "'")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> process.output().stream().anyMatch(l -> l.startsWith(prefix)));
  }

  /**
   * The offline base plus a layer holding ReadyzProbe and a whiteout, as a Docker-format image tar.
   */
  private static Path probeImage(Path scratch) throws Exception {
    Path root = ProjectLayout.root();
    Process build =
        new ProcessBuilder(root.resolve("scripts/build-base-image").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String printed =
        new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(build.waitFor()).as("scripts/build-base-image exit code").isZero();
    Path baseTar = Path.of(printed.lines().reduce((a, b) -> b).orElseThrow());

    Path image = Files.createDirectories(scratch.resolve("image"));
    Tar.run(List.of("tar", "-xf", baseTar.toString(), "-C", image.toString()), "extract the base");
    ObjectNode manifest =
        (ObjectNode) JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
    ObjectNode config =
        (ObjectNode) JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile());

    Path layerDir = scratch.resolve("layer");
    Path classFile =
        Path.of(ReadyzProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve(ReadyzProbe.class.getName().replace('.', '/') + ".class");
    Path target =
        layerDir
            .resolve("app/classes")
            .resolve(ReadyzProbe.class.getName().replace('.', '/') + ".class");
    Files.createDirectories(target.getParent());
    Files.copy(classFile, target);
    Files.createDirectories(layerDir.resolve("usr/share/doc/libc6"));
    Files.createFile(layerDir.resolve("usr/share/doc/libc6/.wh.copyright"));
    Path layer = image.resolve("probe-layer.tar");
    Tar.run(
        List.of(
            "tar",
            "-cf",
            layer.toString(),
            "--sort=name",
            "--owner=0",
            "--group=0",
            "--numeric-owner",
            "-C",
            layerDir.toString(),
            "app",
            "usr"),
        "write the probe layer");

    ObjectNode container = (ObjectNode) config.get("config");
    ArrayNode entrypoint = container.putArray("Entrypoint");
    List.of("java", "-cp", "/app/classes", ReadyzProbe.class.getName()).forEach(entrypoint::add);
    ((ArrayNode) config.get("rootfs").get("diff_ids")).add("sha256:" + sha256(layer));
    Files.write(image.resolve("probe-config.json"), JSON.writeValueAsBytes(config));
    manifest.put("Config", "probe-config.json");
    ((ArrayNode) manifest.get("Layers")).add("probe-layer.tar");
    Files.write(
        image.resolve("manifest.json"),
        JSON.writeValueAsBytes(JSON.createArrayNode().add(manifest)));

    Path tar = scratch.resolve("probe-image.tar");
    Tar.run(
        List.of("tar", "-cf", tar.toString(), "-C", image.toString(), "."),
        "write the probe image");
    return tar;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
