package io.bptemporal.pipeline.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A file of one JSON object per line. Every line is a record, blank ones included (they are
 * quarantined as "blank line", never skipped); record {@code n} is line {@code n + 1}.
 */
public final class NdjsonFileSource implements Source {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // 12.50 stays 12.50: amounts keep their scale into NUMERIC columns and quarantine rows.
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  private final Path file;

  public NdjsonFileSource(Path file) {
    this.file = file;
  }

  public static NdjsonFileSource at(String location) {
    return new NdjsonFileSource(FileLocation.resolve(location));
  }

  @Override
  public String describe() {
    return "NDJSON file " + file;
  }

  @Override
  public long count() {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long lines = 0;
      while (in.readLine() != null) {
        lines++;
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public RecordReader open(long offset, Optional<JsonNode> cursor) {
    try {
      BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
      for (long skipped = 0; skipped < offset; skipped++) {
        if (in.readLine() == null) {
          break;
        }
      }
      return new Reader(in, offset);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {}

  private final class Reader implements RecordReader {
    private final BufferedReader in;
    private long next;

    Reader(BufferedReader in, long next) {
      this.in = in;
      this.next = next;
    }

    @Override
    public List<SourceRecord> read(int max) {
      List<SourceRecord> records = new ArrayList<>(Math.min(max, 10_000));
      try {
        String line;
        while (records.size() < max && (line = in.readLine()) != null) {
          records.add(parse(next, line));
          next++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read " + file + " after line " + next + ": " + e.getMessage(), e);
      }
      return records;
    }

    private SourceRecord parse(long offset, String line) {
      String position = file + ":" + (offset + 1);
      if (line.isBlank()) {
        return SourceRecord.unreadable(
            offset, position, line, "blank line; accepted: one JSON object per line");
      }
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        return SourceRecord.unreadable(
            offset, position, line, "not valid JSON: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        return SourceRecord.unreadable(
            offset,
            position,
            line,
            "is a JSON "
                + (node == null
                    ? "nothing"
                    : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
                + ", not an object; accepted: one JSON object per line");
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      node.properties().forEach(e -> fields.put(e.getKey(), FieldValues.fromJson(e.getValue())));
      return SourceRecord.parsed(offset, position, line, fields);
    }

    @Override
    public Optional<JsonNode> cursor() {
      return Optional.empty();
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        // Read-only file: nothing is lost when closing fails.
      }
    }
  }
}
