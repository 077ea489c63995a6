package io.bptemporal.observability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Prometheus text exposition read into families: each {@code # TYPE} line opens a family, each
 * sample is assigned to its family ({@code X_bucket}, {@code X_sum}, {@code X_count} to
 * histogram/summary {@code X}).
 */
record PrometheusText(Map<String, Family> families) {

  /**
   * A metric family with the label sets of its series ({@code le} and {@code quantile} left out).
   */
  record Family(String name, String type, List<Map<String, String>> series) {
    /** Label names that every series of the family carries. */
    Set<String> labelsOnEverySeries() {
      if (series.isEmpty()) {
        return Set.of();
      }
      Set<String> common = new TreeSet<>(series.getFirst().keySet());
      series.forEach(s -> common.retainAll(s.keySet()));
      return common;
    }
  }

  static PrometheusText parse(String body) {
    Map<String, String> types = new HashMap<>();
    Map<String, List<Map<String, String>>> series = new LinkedHashMap<>();
    for (String line : body.lines().toList()) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
        series.putIfAbsent(parts[2], new ArrayList<>());
      } else if (!line.isBlank() && !line.startsWith("#")) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        String sample =
            brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
        Map<String, String> labels =
            brace >= 0 && brace < space ? labels(line, brace) : new HashMap<>();
        labels.remove("le");
        labels.remove("quantile");
        String family = familyOf(sample, types);
        if (family != null) {
          series.get(family).add(labels);
        }
      }
    }
    Map<String, Family> families = new LinkedHashMap<>();
    series.forEach(
        (name, list) -> families.put(name, new Family(name, types.get(name), List.copyOf(list))));
    return new PrometheusText(families);
  }

  private static String familyOf(String sample, Map<String, String> types) {
    if (types.containsKey(sample)) {
      return sample;
    }
    for (String suffix : new String[] {"_bucket", "_sum", "_count", "_created", "_total"}) {
      if (sample.endsWith(suffix)) {
        String base = sample.substring(0, sample.length() - suffix.length());
        if (types.containsKey(base)) {
          return base;
        }
      }
    }
    return null;
  }

  /** Labels of {@code name{a="x",b="y \" z"} 1}, honouring escaped quotes. */
  private static Map<String, String> labels(String line, int open) {
    Map<String, String> labels = new HashMap<>();
    int i = open + 1;
    while (i < line.length() && line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      String key = line.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2; // skip ="
      while (line.charAt(j) != '"') {
        if (line.charAt(j) == '\\') {
          j++;
        }
        value.append(line.charAt(j));
        j++;
      }
      labels.put(key, value.toString());
      i = j + 1;
      if (i < line.length() && line.charAt(i) == ',') {
        i++;
      }
    }
    return labels;
  }
}
