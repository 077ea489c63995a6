package io.bptemporal.systemtests.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The objects of one {@code helm template} output, each with the template it came from. */
record RenderedManifest(List<RenderedObject> objects) {

  private static final YAMLMapper YAML = new YAMLMapper();

  /**
   * One rendered object; {@code source} is helm's "# Source:" path, e.g.
   * bp-temporal/templates/processes.yaml.
   */
  record RenderedObject(String source, ObjectNode body) {
    String apiVersion() {
      return body.path("apiVersion").asText();
    }

    String kind() {
      return body.path("kind").asText();
    }

    String name() {
      return body.path("metadata").path("name").asText();
    }

    /** Upstream's objects come from the subchart directory. */
    boolean fromUpstream() {
      return source.contains("/charts/temporal/");
    }

    String id() {
      return kind() + "/" + name() + " (" + source + ")";
    }

    JsonNode at(String jsonPointer) {
      return body.at(jsonPointer);
    }
  }

  static RenderedManifest parse(String helmOutput) {
    List<RenderedObject> objects = new ArrayList<>();
    String source = "";
    StringBuilder doc = new StringBuilder();
    for (String line : (helmOutput + "\n---\n").split("\n", -1)) {
      if (line.equals("---") || line.startsWith("--- ")) {
        addDocument(objects, source, doc.toString());
        doc.setLength(0);
        source = "";
        continue;
      }
      if (line.startsWith("# Source: ")) {
        source = line.substring("# Source: ".length()).trim();
      }
      doc.append(line).append('\n');
    }
    return new RenderedManifest(List.copyOf(objects));
  }

  private static void addDocument(List<RenderedObject> objects, String source, String text) {
    if (text.isBlank()) {
      return;
    }
    try {
      JsonNode node = YAML.readTree(text);
      if (node == null || node.isMissingNode() || node.isNull()) {
        return;
      }
      if (!(node instanceof ObjectNode object)) {
        throw new AssertionError(
            "a rendered document from " + source + " is not a YAML mapping:\n" + text);
      }
      objects.add(new RenderedObject(source, object));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "rendered document from " + source + " is not valid YAML:\n" + text, e);
    }
  }

  Stream<RenderedObject> stream() {
    return objects.stream();
  }

  List<RenderedObject> umbrella() {
    return objects.stream().filter(o -> !o.fromUpstream()).toList();
  }

  List<RenderedObject> upstream() {
    return objects.stream().filter(RenderedObject::fromUpstream).toList();
  }

  /**
   * The Deployments of the bp-temporal processes (workers, scheduler, event router): the
   * umbrella's, not upstream's, and not the codec server's (a tool serving HTTP, no Temporal
   * client; see {@link #codecServerDeployment()}).
   */
  List<RenderedObject> processDeployments() {
    return umbrella().stream()
        .filter(o -> o.kind().equals("Deployment"))
        .filter(o -> !o.name().endsWith("-codec-server"))
        .toList();
  }

  /** The codec server's Deployment, when payload encryption and the codec server are on. */
  Optional<RenderedObject> codecServerDeployment() {
    return umbrella().stream()
        .filter(o -> o.kind().equals("Deployment") && o.name().endsWith("-codec-server"))
        .findFirst();
  }

  List<RenderedObject> ofKind(String kind) {
    return objects.stream().filter(o -> o.kind().equals(kind)).toList();
  }

  Optional<RenderedObject> find(String kind, String name) {
    return objects.stream().filter(o -> o.kind().equals(kind) && o.name().equals(name)).findFirst();
  }

  RenderedObject get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no "
                        + kind
                        + " named "
                        + name
                        + " rendered; rendered: "
                        + objects.stream().map(o -> o.kind() + "/" + o.name()).toList()));
  }
}
