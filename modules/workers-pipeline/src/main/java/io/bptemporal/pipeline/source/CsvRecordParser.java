package io.bptemporal.pipeline.source;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits RFC 4180 CSV into records: fields separated by commas, optionally quoted with {@code "}, a quote inside
 * a quoted field doubled ({@code ""}); a quoted field may contain commas and line breaks, so a record may span
 * several lines. Records end at CRLF, LF or CR. A malformed record is returned with a problem, never skipped.
 */
final class CsvRecordParser implements AutoCloseable {

  /**
   * One record.
   *
   * @param line the line the record starts on (1-based)
   * @param fields the fields in order
   * @param raw the record's text without its line break
   * @param problem why the record is malformed
   */
  record CsvRecord(long line, List<String> fields, String raw, Optional<String> problem) {
  }

  private final PushbackReader in;
  private long line = 1;
  private boolean first = true;

  CsvRecordParser(Reader reader) {
    this.in = new PushbackReader(reader, 1);
  }

  /** The next record, or empty at the end of the input. */
  Optional<CsvRecord> next() throws IOException {
    long startLine = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    StringBuilder raw = new StringBuilder();
    String problem = null;
    boolean any = false;
    boolean inQuotes = false;
    boolean quoted = false;
    boolean afterClosingQuote = false;
    while (true) {
      int c = in.read();
      if (first) {
        first = false;
        if (c == '\uFEFF') {
          // A UTF-8 byte order mark (spreadsheet exports) is not part of the first header name.
          continue;
        }
      }
      if (c == -1) {
        if (!any) {
          return Optional.empty();
        }
        if (inQuotes && problem == null) {
          problem = "the quoted field " + (fields.size() + 1) + " opened on line " + startLine + " is never closed";
        }
        fields.add(field.toString());
        return Optional.of(new CsvRecord(startLine, fields, raw.toString(), Optional.ofNullable(problem)));
      }
      any = true;
      if (inQuotes) {
        if (c == '"') {
          int following = in.read();
          if (following == '"') {
            field.append('"');
            raw.append("\"\"");
            continue;
          }
          if (following != -1) {
            in.unread(following);
          }
          inQuotes = false;
          afterClosingQuote = true;
          raw.append('"');
          continue;
        }
        if (c == '\n') {
          line++;
        }
        field.append((char) c);
        raw.append((char) c);
        continue;
      }
      if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        quoted = false;
        afterClosingQuote = false;
        raw.append(',');
        continue;
      }
      if (c == '\r' || c == '\n') {
        if (c == '\r') {
          int following = in.read();
          if (following != '\n' && following != -1) {
            in.unread(following);
          }
        }
        line++;
        fields.add(field.toString());
        return Optional.of(new CsvRecord(startLine, fields, raw.toString(), Optional.ofNullable(problem)));
      }
      raw.append((char) c);
      if (c == '"') {
        if (field.isEmpty() && !quoted) {
          inQuotes = true;
          quoted = true;
        } else if (problem == null) {
          problem = "field " + (fields.size() + 1) + " has a quote inside an unquoted value; accepted: quote the whole"
              + " field and double the quotes inside it (\"say \"\"hi\"\"\")";
          field.append('"');
        }
        continue;
      }
      if (afterClosingQuote && problem == null) {
        problem = "field " + (fields.size() + 1) + " has text after its closing quote";
      }
      field.append((char) c);
    }
  }

  /** Line the next record starts on. */
  long line() {
    return line;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
