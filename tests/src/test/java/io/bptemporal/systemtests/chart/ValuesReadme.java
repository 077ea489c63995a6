package io.bptemporal.systemtests.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates chart/README.md from the {@code # --} comments of chart/values.yaml (helm-docs' convention; helm-docs
 * itself is not installed here). A key's description is the {@code # --} line directly above it plus any
 * following {@code #} lines; a documented map covers its children. Run:
 * {@code ./mvnw -B -pl tests test-compile exec:java@values-readme}.
 */
public final class ValuesReadme {

    static final String REGENERATE = "./mvnw -B -pl tests test-compile exec:java@values-readme";

    private static final Pattern KEY = Pattern.compile("^(\\s*)(\"[^\"]+\"|[^\\s#\"'-][^:#]*?):(\\s.*)?$");
    private static final Pattern LIST_ITEM = Pattern.compile("^(\\s*)- ");

    /** One documented key: its path in values.yaml and the text of its comment. */
    record Documented(List<String> path, String description) {
        String dotted() {
            return String.join(".", path);
        }
    }

    private ValuesReadme() {
    }

    /** The documented keys of a values.yaml, in file order. */
    static List<Documented> documentedKeys(String valuesYaml) {
        List<Documented> result = new ArrayList<>();
        Deque<Map.Entry<Integer, String>> stack = new ArrayDeque<>();
        StringBuilder pending = null;
        int listIndent = -1;
        for (String line : valuesYaml.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                pending = null;
                continue;
            }
            if (trimmed.startsWith("#")) {
                if (trimmed.startsWith("# --")) {
                    pending = new StringBuilder(trimmed.substring(4).strip());
                } else if (pending != null && !trimmed.startsWith("##")) {
                    pending.append(' ').append(trimmed.substring(1).strip());
                } else {
                    pending = null;
                }
                continue;
            }
            Matcher item = LIST_ITEM.matcher(line);
            int indent = line.length() - line.stripLeading().length();
            if (item.find()) {
                listIndent = listIndent < 0 ? indent : Math.min(listIndent, indent);
                pending = null;
                continue;
            }
            if (listIndent >= 0 && indent > listIndent) {
                pending = null;
                continue;
            }
            listIndent = -1;
            Matcher key = KEY.matcher(line);
            if (!key.matches()) {
                pending = null;
                continue;
            }
            while (!stack.isEmpty() && stack.peek().getKey() >= indent) {
                stack.pop();
            }
            String name = key.group(2).strip();
            if (name.startsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            stack.push(Map.entry(indent, name));
            if (pending != null) {
                List<String> path = new ArrayList<>();
                stack.descendingIterator().forEachRemaining(e -> path.add(e.getValue()));
                result.add(new Documented(List.copyOf(path), pending.toString()));
            }
            pending = null;
        }
        return result;
    }

    /** Leaves (scalars, lists, empty maps) of values.yaml that neither they nor an ancestor document. */
    static List<String> undocumentedLeaves(JsonNode values, List<Documented> documented) {
        List<List<String>> docs = documented.stream().map(Documented::path).toList();
        List<String> missing = new ArrayList<>();
        collectLeaves(values, new ArrayList<>(), docs, missing);
        return missing;
    }

    private static void collectLeaves(JsonNode node, List<String> path, List<List<String>> docs, List<String> missing) {
        for (int i = 1; i <= path.size(); i++) {
            if (docs.contains(path.subList(0, i))) {
                return;
            }
        }
        if (node.isObject() && !node.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                List<String> child = new ArrayList<>(path);
                child.add(field.getKey());
                collectLeaves(field.getValue(), child, docs, missing);
            }
            return;
        }
        missing.add(String.join(".", path));
    }

    static String render(Path chartDir) {
        try {
            String valuesText = Files.readString(chartDir.resolve("values.yaml"));
            YAMLMapper yaml = new YAMLMapper();
            JsonNode values = yaml.readTree(valuesText);
            JsonNode chart = yaml.readTree(chartDir.resolve("Chart.yaml").toFile());
            ObjectMapper json = new ObjectMapper();
            StringBuilder out = new StringBuilder();
            out.append("# ").append(chart.path("name").asText()).append("\n\n");
            out.append("<!-- Generated from values.yaml by ValuesReadme (tests/). Do not edit; regenerate with:\n     ")
                    .append(REGENERATE).append(" -->\n\n");
            out.append(chart.path("description").asText().strip()).append("\n\n");
            out.append("Version: `").append(chart.path("version").asText()).append("` · App version: `")
                    .append(chart.path("appVersion").asText()).append("` · Kubernetes: `")
                    .append(chart.path("kubeVersion").asText()).append("`\n\n");
            out.append("How to install, the scenarios and overlays, validation and releases: [docs/chart.md](../docs/chart.md).\n\n");
            out.append("## Requirements\n\n| Repository | Name | Version | Condition |\n|---|---|---|---|\n");
            for (JsonNode dep : chart.path("dependencies")) {
                out.append("| ").append(dep.path("repository").asText()).append(" | ").append(dep.path("name").asText())
                        .append(" | ").append(dep.path("version").asText()).append(" | `").append(dep.path("condition").asText())
                        .append("` |\n");
            }
            out.append("\n## Values\n\n| Key | Type | Default | Description |\n|---|---|---|---|\n");
            Map<String, Documented> byPath = new LinkedHashMap<>();
            for (Documented d : documentedKeys(valuesText)) {
                byPath.put(d.dotted(), d);
            }
            for (Documented d : byPath.values()) {
                JsonNode node = values;
                for (String segment : d.path()) {
                    node = node.path(segment);
                }
                if (node.isMissingNode()) {
                    throw new IllegalStateException("values.yaml documents " + d.dotted() + " but the key does not parse there");
                }
                out.append("| `").append(d.dotted()).append("` | ").append(typeOf(node)).append(" | `")
                        .append(cell(json.writeValueAsString(node))).append("` | ").append(cell(d.description())).append(" |\n");
            }
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String typeOf(JsonNode node) {
        if (node.isTextual()) {
            return "string";
        }
        if (node.isIntegralNumber()) {
            return "int";
        }
        if (node.isNumber()) {
            return "float";
        }
        if (node.isBoolean()) {
            return "bool";
        }
        if (node.isArray()) {
            return "list";
        }
        return node.isNull() ? "null" : "object";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** Writes chart/README.md. Argument: the chart directory. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ValuesReadme <chartDir>");
        }
        Path chartDir = Path.of(args[0]);
        Files.writeString(chartDir.resolve("README.md"), render(chartDir), StandardCharsets.UTF_8);
        System.out.println("[chart] wrote " + chartDir.resolve("README.md"));
    }
}
