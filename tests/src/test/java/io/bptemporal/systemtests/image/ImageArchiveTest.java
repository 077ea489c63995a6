package io.bptemporal.systemtests.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageArchiveTest {
  private static final String CONFIG =
      """
      {"config":{"Entrypoint":["java","-cp","@/app/jib-classpath-file","x.Main"],"Cmd":["--serve"],
       "Env":["PATH=/opt/java/openjdk/bin:/usr/bin","JAVA_HOME=/opt/java/openjdk","EMPTY="],
       "User":"65532:65532","WorkingDir":"/home/app"},
       "rootfs":{"type":"layers","diff_ids":["sha256:aa","sha256:bb"]}}""";

  @TempDir Path dir;

  @Test
  void readsADockerImageTarAsJibWritesIt() throws Exception {
    Path src = Files.createDirectories(dir.resolve("docker"));
    Files.writeString(src.resolve("config.json"), CONFIG);
    Files.writeString(src.resolve("aa.tar.gz"), "layer a");
    Files.writeString(src.resolve("bb.tar.gz"), "layer bb");
    Files.writeString(
        src.resolve("manifest.json"),
        "[{\"Config\":\"config.json\",\"RepoTags\":[\"r/x:abc\"],\"Layers\":[\"aa.tar.gz\",\"bb.tar.gz\"]}]");

    ImageArchive image = ImageArchive.read(tar(src), dir.resolve("read"));

    assertThat(image.layers())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("aa.tar.gz", "bb.tar.gz");
    assertThat(image.layerBytes()).isEqualTo(15);
    assertThat(image.config().command())
        .containsExactly("java", "-cp", "@/app/jib-classpath-file", "x.Main", "--serve");
    assertThat(image.config().env())
        .containsEntry("JAVA_HOME", "/opt/java/openjdk")
        .containsEntry("EMPTY", "");
    assertThat(image.config().userName()).contains("65532");
    assertThat(image.config().groupName()).contains("65532");
    assertThat(image.config().workingDir()).isEqualTo("/home/app");
  }

  @Test
  void readsAnOciLayout() throws Exception {
    Path src = Files.createDirectories(dir.resolve("oci/blobs/sha256")).getParent().getParent();
    Files.writeString(src.resolve("blobs/sha256/cfg"), CONFIG);
    Files.writeString(src.resolve("blobs/sha256/aa"), "a");
    Files.writeString(src.resolve("blobs/sha256/bb"), "b");
    Files.writeString(
        src.resolve("blobs/sha256/man"),
        """
        {"config":{"digest":"sha256:cfg"},"layers":[{"digest":"sha256:aa"},{"digest":"sha256:bb"}]}""");
    Files.writeString(src.resolve("index.json"), "{\"manifests\":[{\"digest\":\"sha256:man\"}]}");

    ImageArchive image = ImageArchive.read(tar(src), dir.resolve("read"));

    assertThat(image.layers())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("aa", "bb");
    assertThat(image.config().user()).isEqualTo("65532:65532");
  }

  @Test
  void namesTheTarWhenItIsNoImage() throws Exception {
    Path src = Files.createDirectories(dir.resolve("junk"));
    Files.writeString(src.resolve("readme"), "no image");
    Path tar = tar(src);

    assertThatThrownBy(() -> ImageArchive.read(tar, dir.resolve("read")))
        .hasMessageContaining(tar.toString())
        .hasMessageContaining("neither a Docker image tar");
    assertThatThrownBy(() -> ImageArchive.read(dir.resolve("missing.tar"), dir.resolve("read2")))
        .hasMessageContaining("missing.tar does not exist");
  }

  private Path tar(Path src) throws Exception {
    Path tar = dir.resolve(src.getFileName() + ".tar");
    Tar.run(List.of("tar", "-cf", tar.toString(), "-C", src.toString(), "."), "write test image");
    return tar;
  }
}
