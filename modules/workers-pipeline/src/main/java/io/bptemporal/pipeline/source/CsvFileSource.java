package io.bptemporal.pipeline.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.pipeline.PipelineSetupException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A CSV file (RFC 4180, UTF-8) whose first record is the header naming the fields. Record {@code n}
 * is the {@code n}-th record after the header; a record with a different number of fields than the
 * header, or a malformed one (including one with a line that is not UTF-8), is unreadable and goes
 * to quarantine, and the records after it are read as usual ({@link CsvRecordParser}, Apache
 * Commons CSV). Every value is text; rule sets convert types.
 */
public final class CsvFileSource implements Source {
  private final Path file;

  public CsvFileSource(Path file) {
    this.file = file;
  }

  public static CsvFileSource at(String location) {
    return new CsvFileSource(FileLocation.resolve(location));
  }

  @Override
  public String describe() {
    return "CSV file " + file;
  }

  @Override
  public long count() {
    try (CsvRecordParser parser = parser()) {
      header(parser);
      long records = 0;
      while (parser.next().isPresent()) {
        records++;
      }
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public RecordReader open(long offset, Optional<JsonNode> cursor) {
    CsvRecordParser parser = parser();
    try {
      List<String> header = header(parser);
      for (long skipped = 0; skipped < offset; skipped++) {
        if (parser.next().isEmpty()) {
          break;
        }
      }
      return new Reader(parser, header, offset);
    } catch (IOException | RuntimeException e) {
      try {
        parser.close();
      } catch (IOException ignored) {
        // Already failing; the first error is the one worth reporting.
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot read " + file + ": " + io.getMessage(), io);
      }
      throw (RuntimeException) e;
    }
  }

  @Override
  public void close() {}

  private CsvRecordParser parser() {
    try {
      return new CsvRecordParser(new BufferedInputStream(Files.newInputStream(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private List<String> header(CsvRecordParser parser) throws IOException {
    CsvRecordParser.CsvRecord header =
        parser
            .next()
            .orElseThrow(
                () ->
                    new PipelineSetupException(
                        describe()
                            + " is empty; accepted: a header row naming the fields, then one record per row"));
    if (header.problem().isPresent()) {
      throw new PipelineSetupException(
          describe() + ": the header row is malformed: " + header.problem().get());
    }
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < header.fields().size(); i++) {
      String name = header.fields().get(i).trim();
      if (name.isEmpty()) {
        throw new PipelineSetupException(
            describe()
                + ": header column "
                + (i + 1)
                + " has no name; accepted: a name for"
                + " every column");
      }
      if (!seen.add(name)) {
        throw new PipelineSetupException(
            describe()
                + ": header column "
                + (i + 1)
                + " repeats the name '"
                + name
                + "'; accepted: distinct column names");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  private final class Reader implements RecordReader {
    private final CsvRecordParser parser;
    private final List<String> header;
    private long next;

    Reader(CsvRecordParser parser, List<String> header, long next) {
      this.parser = parser;
      this.header = header;
      this.next = next;
    }

    @Override
    public List<SourceRecord> read(int max) {
      List<SourceRecord> records = new ArrayList<>(Math.min(max, 10_000));
      try {
        while (records.size() < max) {
          Optional<CsvRecordParser.CsvRecord> parsed = parser.next();
          if (parsed.isEmpty()) {
            break;
          }
          records.add(toRecord(next, parsed.get()));
          next++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read " + file + " at record " + next + ": " + e.getMessage(), e);
      }
      return records;
    }

    private SourceRecord toRecord(long offset, CsvRecordParser.CsvRecord record) {
      String position = file + ":" + record.line();
      if (record.problem().isPresent()) {
        return SourceRecord.unreadable(
            offset, position, record.raw(), "malformed CSV: " + record.problem().get());
      }
      if (record.fields().size() != header.size()) {
        return SourceRecord.unreadable(
            offset,
            position,
            record.raw(),
            "has "
                + record.fields().size()
                + " field(s), the"
                + " header has "
                + header.size()
                + " ("
                + String.join(", ", header)
                + ")");
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        fields.put(header.get(i), record.fields().get(i));
      }
      return SourceRecord.parsed(offset, position, record.raw(), fields);
    }

    @Override
    public Optional<JsonNode> cursor() {
      return Optional.empty();
    }

    @Override
    public void close() {
      try {
        parser.close();
      } catch (IOException e) {
        // Read-only file: nothing is lost when closing fails.
      }
    }
  }
}
