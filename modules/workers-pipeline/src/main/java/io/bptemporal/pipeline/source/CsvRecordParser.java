package io.bptemporal.pipeline.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The records of RFC 4180 CSV, split by Apache Commons CSV ({@link CSVFormat#RFC4180}): fields
 * separated by commas, optionally quoted with {@code "}, a quote inside a quoted field doubled; a
 * quoted field may contain commas and line breaks, so a record may span several lines. A malformed
 * record is returned with a problem and the line it starts on, never skipped, and the records after
 * it are read as usual.
 *
 * <p>Commons CSV stops at the first malformed record. To go on, this class feeds it the input one
 * physical line at a time and keeps the lines it handed over: after a failure the lines from the
 * failing record's start to the line the library stopped on are that record, and a fresh library
 * parser starts on the next line with the lines already read ahead handed over again. The same kept
 * lines give each record's raw text and lines. Lines are decoded one by one, so a line that is not
 * UTF-8 makes only its record unreadable.
 */
final class CsvRecordParser implements AutoCloseable {
  private static final CSVFormat FORMAT = CSVFormat.RFC4180;

  /**
   * One record.
   *
   * @param line the line the record starts on (1-based)
   * @param fields the fields in order
   * @param raw the record's text without its line break
   * @param problem why the record is malformed
   */
  record CsvRecord(long line, List<String> fields, String raw, Optional<String> problem) {}

  /**
   * A physical line: its text, its line break ("" on the last line without one), and a decoding
   * problem.
   */
  private record Line(long number, String text, String lineBreak, Optional<String> problem) {}

  private final PhysicalLines lines;
  private final Feed feed = new Feed();

  /** Lines handed to the library and not yet part of a returned record, in order. */
  private final Deque<Line> kept = new ArrayDeque<>();

  /** Lines read ahead by a failed parser, to be handed to the next one. */
  private final Deque<Line> replay = new ArrayDeque<>();

  private CSVParser parser;
  private Iterator<CSVRecord> records;

  /** The line before the current parser's first line: its line numbers are relative to it. */
  private long base;

  private long nextLine = 1;

  CsvRecordParser(InputStream in) {
    this.lines = new PhysicalLines(in);
  }

  /** The next record, or empty at the end of the input. */
  Optional<CsvRecord> next() throws IOException {
    if (parser == null) {
      feed.restart();
      base = nextLine - 1;
      parser = CSVParser.parse(feed, FORMAT);
      records = parser.iterator();
    }
    long start = nextLine;
    try {
      if (!records.hasNext()) {
        return Optional.empty();
      }
      CSVRecord parsed = records.next();
      List<String> fields = parsed.toList();
      // Line breaks occur only inside quoted values, so they tell on which line the record ends.
      long end = start + fields.stream().mapToLong(CsvRecordParser::lineBreaks).sum();
      List<Line> span = take(end);
      nextLine = end + 1;
      String raw = raw(span);
      Optional<String> problem = encodingProblem(span).or(() -> strayQuote(raw, fields));
      return Optional.of(new CsvRecord(start, fields, raw, problem));
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof CharacterCodingException
          || !(e.getCause() instanceof IOException)) {
        throw e;
      }
      return Optional.of(recover(start, e.getCause()));
    }
  }

  /**
   * The failing record is the lines from its start to where the library stopped; the next parser
   * starts after.
   */
  private CsvRecord recover(long start, IOException failure) throws IOException {
    String message = String.valueOf(failure.getMessage());
    boolean endOfInput = message.contains("EOF reached before encapsulated token finished");
    long stoppedOn = endOfInput ? Long.MAX_VALUE : base + parser.getCurrentLineNumber();
    List<Line> span = take(stoppedOn);
    // Lines read ahead past the failing record are handed to the next parser, in their order.
    List<Line> ahead = new ArrayList<>(kept);
    kept.clear();
    for (int i = ahead.size() - 1; i >= 0; i--) {
      replay.addFirst(ahead.get(i));
    }
    long end = span.isEmpty() ? start : span.getLast().number();
    nextLine = end + 1;
    parser = null;
    String problem =
        encodingProblem(span)
            .orElseGet(
                () ->
                    endOfInput
                        ? "a quoted field of the record opened on line "
                            + start
                            + " is never closed: the file ends inside it;"
                            + " accepted: a closing quote, with the quotes inside the field doubled"
                        : message.contains(
                                "Invalid character between encapsulated token and delimiter")
                            ? "line "
                                + end
                                + " has text after the closing quote of a field; accepted: a comma or the end of the"
                                + " line after a closing quote, and the quotes inside a quoted field doubled (\"say \"\"hi\"\"\")"
                            : "line " + end + ": " + message);
    return new CsvRecord(start, List.of(), raw(span), Optional.of(problem));
  }

  /** Removes and returns the kept lines up to and including {@code last}. */
  private List<Line> take(long last) {
    List<Line> span = new ArrayList<>();
    while (!kept.isEmpty() && kept.peekFirst().number() <= last) {
      span.add(kept.removeFirst());
    }
    return span;
  }

  private static String raw(List<Line> span) {
    StringBuilder raw = new StringBuilder();
    for (int i = 0; i < span.size(); i++) {
      raw.append(span.get(i).text());
      if (i < span.size() - 1) {
        raw.append(span.get(i).lineBreak());
      }
    }
    return raw.toString();
  }

  private static Optional<String> encodingProblem(List<Line> span) {
    return span.stream().flatMap(l -> l.problem().stream()).findFirst();
  }

  /**
   * Commons CSV takes a quote inside an unquoted value as text ({@code a"b}); RFC 4180 does not
   * allow it, and it usually means a field whose opening quote is missing, so the record is
   * refused. A quoted field's raw form is its value between quotes with inner quotes doubled; an
   * unquoted field's is its value.
   */
  private static Optional<String> strayQuote(String raw, List<String> fields) {
    int at = 0;
    for (int i = 0; i < fields.size(); i++) {
      String value = fields.get(i);
      String quoted = "\"" + value.replace("\"", "\"\"") + "\"";
      if (raw.startsWith(quoted, at)) {
        at += quoted.length();
      } else {
        if (value.indexOf('"') >= 0) {
          return Optional.of(
              "field "
                  + (i + 1)
                  + " has a quote inside an unquoted value; accepted: quote the whole"
                  + " field and double the quotes inside it (\"say \"\"hi\"\"\")");
        }
        at += value.length();
      }
      at++; // the comma
    }
    return Optional.empty();
  }

  private static long lineBreaks(String value) {
    long count = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 == value.length() || value.charAt(i + 1) != '\n'))) {
        count++;
      }
    }
    return count;
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }

  /**
   * The library's input: one physical line per read, so that it never holds more than the line it
   * works on and the one it peeks at; every line handed over is kept until it belongs to a returned
   * record.
   */
  private final class Feed extends Reader {
    private String chunk = "";
    private int position;

    void restart() {
      chunk = "";
      position = 0;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (position == chunk.length()) {
        Line line = replay.isEmpty() ? lines.next() : replay.removeFirst();
        if (line == null) {
          return -1;
        }
        kept.addLast(line);
        chunk = line.text() + line.lineBreak();
        position = 0;
      }
      int n = Math.min(length, chunk.length() - position);
      chunk.getChars(position, position + n, buffer, offset);
      position += n;
      return n;
    }

    /** The parser closes its reader; the file stays open for the next parser. */
    @Override
    public void close() {}
  }

  /** The input's physical lines (ending at CRLF, LF or CR), each decoded as UTF-8 on its own. */
  private static final class PhysicalLines implements AutoCloseable {
    private final InputStream in;
    private long number;
    private int pending = -2;

    PhysicalLines(InputStream in) {
      this.in = in;
    }

    /** The next line, or null at the end of the input. */
    Line next() throws IOException {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      String lineBreak = "";
      int b = pending != -2 ? pending : in.read();
      pending = -2;
      if (b == -1) {
        return null;
      }
      while (b != -1) {
        if (b == '\n') {
          lineBreak = "\n";
          break;
        }
        if (b == '\r') {
          int following = in.read();
          if (following == '\n') {
            lineBreak = "\r\n";
          } else {
            lineBreak = "\r";
            pending = following;
          }
          break;
        }
        bytes.write(b);
        b = in.read();
      }
      number++;
      byte[] line = bytes.toByteArray();
      int from = 0;
      if (number == 1
          && line.length >= 3
          && (line[0] & 0xFF) == 0xEF
          && (line[1] & 0xFF) == 0xBB
          && (line[2] & 0xFF) == 0xBF) {
        // A UTF-8 byte order mark (spreadsheet exports) is not part of the first header name.
        from = 3;
      }
      return decode(number, ByteBuffer.wrap(line, from, line.length - from), lineBreak);
    }

    /**
     * Strict UTF-8; bytes that are not UTF-8 are kept in the text as {@code \xNN} (so the
     * quarantined raw text loses nothing) and make the line's problem.
     */
    private static Line decode(long number, ByteBuffer bytes, String lineBreak) {
      CharsetDecoder decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      CharBuffer chars = CharBuffer.allocate(bytes.remaining() * 4 + 4);
      StringBuilder text = new StringBuilder();
      String problem = null;
      while (true) {
        CoderResult result = decoder.decode(bytes, chars, true);
        if (result.isError()) {
          chars.flip();
          text.append(chars);
          chars.clear();
          if (problem == null) {
            problem =
                "line "
                    + number
                    + " is not UTF-8 (byte "
                    + hex(bytes.get(bytes.position()))
                    + " at column "
                    + (text.length() + 1)
                    + "); accepted: UTF-8 text, invalid bytes are shown as \\xNN";
          }
          for (int i = 0; i < result.length(); i++) {
            text.append(hex(bytes.get()));
          }
          continue;
        }
        decoder.flush(chars);
        chars.flip();
        text.append(chars);
        return new Line(number, text.toString(), lineBreak, Optional.ofNullable(problem));
      }
    }

    private static String hex(byte b) {
      return String.format("\\x%02X", b & 0xFF);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
