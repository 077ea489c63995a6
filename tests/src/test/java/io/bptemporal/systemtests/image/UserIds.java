package io.bptemporal.systemtests.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The numeric uid/gid an image's User field means, resolved like an engine does: numbers as they
 * are, names through the image's own /etc/passwd and /etc/group; the group defaults to the user's
 * primary group.
 *
 * @param uid user id
 * @param gid group id
 * @param home the home directory from /etc/passwd, {@code /} when the user has no entry
 */
record UserIds(int uid, int gid, String home) {

  static UserIds resolve(ImageConfig config, Path rootfs) throws IOException {
    String user = config.userName().orElse("0");
    List<String[]> passwd = table(rootfs.resolve("etc/passwd"));
    Optional<String[]> entry =
        passwd.stream()
            .filter(
                fields -> fields.length >= 6 && (fields[0].equals(user) || fields[2].equals(user)))
            .findFirst();
    int uid;
    if (user.matches("\\d+")) {
      uid = Integer.parseInt(user);
    } else {
      uid =
          Integer.parseInt(
              entry
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "image user '" + user + "' has no entry in the image's /etc/passwd"))[
                  2]);
    }
    int gid;
    Optional<String> group = config.groupName();
    if (group.isEmpty()) {
      gid = entry.map(fields -> Integer.parseInt(fields[3])).orElse(uid);
    } else if (group.get().matches("\\d+")) {
      gid = Integer.parseInt(group.get());
    } else {
      gid =
          table(rootfs.resolve("etc/group")).stream()
              .filter(fields -> fields.length >= 3 && fields[0].equals(group.get()))
              .map(fields -> Integer.parseInt(fields[2]))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "image group '"
                              + group.get()
                              + "' has no entry in the image's /etc/group"));
    }
    return new UserIds(uid, gid, entry.map(fields -> fields[5]).orElse("/"));
  }

  private static List<String[]> table(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream().map(line -> line.split(":", -1)).toList();
  }
}
