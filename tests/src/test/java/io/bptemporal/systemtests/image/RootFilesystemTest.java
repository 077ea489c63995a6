package io.bptemporal.systemtests.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootFilesystemTest {
  @TempDir Path dir;

  @Test
  void laterLayersWinAndWhiteoutsDeleteWhatLowerLayersPut() throws Exception {
    Path lower =
        layer(
            "lower",
            "etc/keep",
            "lower",
            "etc/gone",
            "lower",
            "data/old-1",
            "lower",
            "data/sub/old-2",
            "lower",
            "tree/deep/file",
            "lower");
    Path upper =
        layer(
            "upper",
            "etc/keep",
            "upper",
            "etc/.wh.gone",
            "",
            "data/.wh..wh..opq",
            "",
            "data/new",
            "upper",
            "tree/.wh.deep",
            "");

    Path rootfs = RootFilesystem.assemble(List.of(lower, upper), dir.resolve("rootfs"));

    assertThat(rootfs.resolve("etc/keep")).hasContent("upper");
    assertThat(rootfs.resolve("etc/gone")).doesNotExist();
    // Opaque directory: only the upper layer's entries remain, whiteout markers never appear.
    try (var children = Files.list(rootfs.resolve("data"))) {
      assertThat(children.map(p -> p.getFileName().toString())).containsExactly("new");
    }
    assertThat(rootfs.resolve("tree")).isEmptyDirectory();
  }

  @Test
  void aWhiteoutInTheSameLayerAsTheFileDoesNotHideIt() throws Exception {
    // Whiteouts act on lower layers only; a layer that re-adds a name keeps it.
    Path base = layer("base", "a/file", "base");
    Path both = layer("both", "a/.wh.file", "", "a/file", "again");

    Path rootfs = RootFilesystem.assemble(List.of(base, both), dir.resolve("rootfs"));

    assertThat(rootfs.resolve("a/file")).hasContent("again");
  }

  @Test
  void refusesAWhiteoutThatClimbsOutOfTheRoot() throws Exception {
    Path bad = dir.resolve("bad.tar");
    Path src = Files.createDirectories(dir.resolve("bad-src"));
    Files.writeString(src.resolve(".wh.passwd"), "");
    // ../etc/.wh.passwd would delete the host's /etc/passwd next to the rootfs.
    Tar.run(
        List.of(
            "tar",
            "-cf",
            bad.toString(),
            "--transform=s,^,../etc/,",
            "-C",
            src.toString(),
            ".wh.passwd"),
        "write a hostile layer");

    assertThatThrownBy(() -> RootFilesystem.assemble(List.of(bad), dir.resolve("rootfs")))
        .hasMessageContaining("points outside the root filesystem");
  }

  /** A layer tar from alternating path, content pairs. */
  private Path layer(String name, String... pathsAndContents)
      throws IOException, InterruptedException {
    Path src = Files.createDirectories(dir.resolve(name + "-src"));
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      Path file = src.resolve(pathsAndContents[i]);
      Files.createDirectories(file.getParent());
      Files.writeString(file, pathsAndContents[i + 1]);
    }
    Path tar = dir.resolve(name + ".tar");
    Tar.run(
        List.of("tar", "-czf", tar.toString(), "-C", src.toString(), "."), "write layer " + name);
    return tar;
  }
}
