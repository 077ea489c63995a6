package io.bptemporal.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.pipeline.PipelineSetupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourcesTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private static List<SourceRecord> readAll(Source source, long offset, int batch) {
    try (RecordReader reader = source.open(offset, Optional.empty())) {
      List<SourceRecord> all = new java.util.ArrayList<>();
      List<SourceRecord> next;
      while (!(next = reader.read(batch)).isEmpty()) {
        all.addAll(next);
      }
      return all;
    }
  }

  @Test
  void ndjsonKeepsEveryLineAsARecordWithItsLineNumber() throws IOException {
    Path file =
        write(
            "in.ndjson",
            """
        {"id": 1, "amount": 12.50, "tags": ["a"], "ok": true, "none": null}
        not json

        [1, 2]
        {"id": 1, "id": 2}
        {"id": 3} trailing
        {"id": 4}""");
    NdjsonFileSource source = new NdjsonFileSource(file);

    assertThat(source.count()).isEqualTo(7);
    List<SourceRecord> records = readAll(source, 0, 3);
    assertThat(records)
        .extracting(SourceRecord::offset)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(records.get(0).fields())
        .containsEntry("id", 1L)
        .containsEntry("amount", new java.math.BigDecimal("12.50"))
        .containsEntry("ok", true)
        .containsEntry("none", null);
    assertThat(records.get(0).position()).isEqualTo(file + ":1");
    assertThat(records.get(1).unreadable()).get().asString().startsWith("not valid JSON");
    assertThat(records.get(2).unreadable())
        .contains("blank line; accepted: one JSON object per line");
    assertThat(records.get(3).unreadable())
        .get()
        .asString()
        .contains("is a JSON array, not an object");
    assertThat(records.get(4).unreadable()).get().asString().contains("Duplicate field 'id'");
    assertThat(records.get(5).unreadable()).get().asString().startsWith("not valid JSON");
    assertThat(records.get(6).position()).isEqualTo(file + ":7");
    assertThat(records.get(6).unreadable()).isEmpty();
  }

  @Test
  void ndjsonOpensAtAnOffset() throws IOException {
    Path file = write("in.ndjson", "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n{\"i\":3}\n");
    List<SourceRecord> records = readAll(new NdjsonFileSource(file), 2, 10);

    assertThat(records).extracting(r -> r.fields().get("i")).containsExactly(2L, 3L);
    assertThat(records.get(0).offset()).isEqualTo(2);
  }

  @Test
  void csvParsesQuotesAndLineBreaksInsideQuotesAndCountsRecordsNotLines() throws IOException {
    Path file =
        write(
            "in.csv",
            "\uFEFFid,name,note\r\n"
                + "1,\"Lovelace, Ada\",plain\r\n"
                + "2,\"two\nlines\",\"say \"\"hi\"\"\"\r\n"
                + "3,short\r\n"
                + "4,bad\"quote,x\n"
                + "5,\"never closed,x\n");
    CsvFileSource source = new CsvFileSource(file);

    assertThat(source.count()).isEqualTo(5);
    List<SourceRecord> records = readAll(source, 0, 2);
    assertThat(records.get(0).fields())
        .containsEntry("id", "1")
        .containsEntry("name", "Lovelace, Ada");
    assertThat(records.get(1).fields())
        .containsEntry("name", "two\nlines")
        .containsEntry("note", "say \"hi\"");
    assertThat(records.get(1).position()).isEqualTo(file + ":3");
    assertThat(records.get(2).position())
        .as("the record after a two-line record starts on line 5")
        .isEqualTo(file + ":5");
    assertThat(records.get(2).unreadable())
        .contains("has 2 field(s), the header has 3 (id, name, note)");
    assertThat(records.get(3).unreadable())
        .get()
        .asString()
        .contains("quote inside an unquoted value");
    assertThat(records.get(4).unreadable())
        .get()
        .asString()
        .contains("opened on line 7 is never closed");
  }

  @Test
  void csvQuarantinesEachMalformedRecordAndReadsTheRecordsAfterItOnTheirOwnLines()
      throws IOException {
    Path file =
        write(
            "in.csv",
            "id,name\n"
                + "1,\"closed\"late,x\n"
                + "2,\"multi\nline\"\n"
                + "3,a,b\n"
                + "4,\"after\"\n"
                + "5,\"never closed\n"
                + "6,swallowed\n");
    CsvFileSource source = new CsvFileSource(file);

    assertThat(source.count()).isEqualTo(5);
    List<SourceRecord> records = readAll(source, 0, 2);
    assertThat(records)
        .extracting(SourceRecord::position)
        .containsExactly(file + ":2", file + ":3", file + ":5", file + ":6", file + ":7");
    assertThat(records.get(0).unreadable())
        .get()
        .asString()
        .contains("line 2 has text after the closing quote of a field; accepted:");
    assertThat(records.get(0).raw()).isEqualTo("1,\"closed\"late,x");
    assertThat(records.get(1).fields())
        .containsEntry("id", "2")
        .containsEntry("name", "multi\nline");
    assertThat(records.get(2).unreadable()).contains("has 3 field(s), the header has 2 (id, name)");
    assertThat(records.get(3).fields()).containsEntry("id", "4").containsEntry("name", "after");
    assertThat(records.get(4).unreadable())
        .get()
        .asString()
        .contains(
            "a quoted field of the record opened on line 7 is never closed: the file ends inside it");
    assertThat(records.get(4).raw())
        .as("the unclosed record keeps every line it swallowed")
        .isEqualTo("5,\"never closed\n6,swallowed");
  }

  @Test
  void csvQuarantinesARecordThatIsNotUtf8KeepingItsBytesAndReadsOn() throws IOException {
    Path file = dir.resolve("latin1.csv");
    byte[] head = "id,name\n1,ok\n2,Mu".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "ller\n3,\"z\u00fcrich\"\n".getBytes(StandardCharsets.UTF_8);
    byte[] content = new byte[head.length + 1 + tail.length];
    System.arraycopy(head, 0, content, 0, head.length);
    content[head.length] = (byte) 0xFC; // ü in ISO-8859-1, not UTF-8
    System.arraycopy(tail, 0, content, head.length + 1, tail.length);
    Files.write(file, content);

    List<SourceRecord> records = readAll(new CsvFileSource(file), 0, 10);

    assertThat(records).hasSize(3);
    assertThat(records.get(0).fields()).containsEntry("name", "ok");
    assertThat(records.get(1).position()).isEqualTo(file + ":3");
    assertThat(records.get(1).unreadable())
        .get()
        .asString()
        .contains("line 3 is not UTF-8 (byte \\xFC at column 5); accepted: UTF-8");
    assertThat(records.get(1).raw()).isEqualTo("2,Mu\\xFCller");
    assertThat(records.get(2).fields()).containsEntry("name", "z\u00fcrich");
    assertThat(records.get(2).position()).isEqualTo(file + ":4");
  }

  @Test
  void csvOpensAtAnOffsetCountingRecords() throws IOException {
    Path file = write("in.csv", "id,name\n1,\"a\nb\"\n2,c\n3,d\n");
    List<SourceRecord> records = readAll(new CsvFileSource(file), 1, 10);

    assertThat(records).extracting(r -> r.fields().get("id")).containsExactly("2", "3");
    assertThat(records.get(0).offset()).isEqualTo(1);
    assertThat(records.get(0).position()).isEqualTo(file + ":4");
  }

  @Test
  void csvRefusesAHeaderWithRepeatedOrEmptyNames() throws IOException {
    Path repeated = write("repeated.csv", "id,name,id\n1,a,2\n");
    Path empty = write("empty.csv", "");

    assertThatThrownBy(() -> new CsvFileSource(repeated).count())
        .isInstanceOf(PipelineSetupException.class)
        .hasMessageContaining("header column 3 repeats the name 'id'");
    assertThatThrownBy(() -> new CsvFileSource(empty).count())
        .isInstanceOf(PipelineSetupException.class)
        .hasMessageContaining("is empty; accepted: a header row");
  }

  @Test
  void aMissingFileOrAUrlIsASetupErrorThatSaysWhatIsAccepted() {
    assertThatThrownBy(() -> NdjsonFileSource.at(dir.resolve("nope.ndjson").toString()))
        .isInstanceOf(PipelineSetupException.class)
        .hasMessageContaining("does not exist on the pipeline worker")
        .hasMessageContaining("accepted: a path of a file");
    assertThatThrownBy(() -> CsvFileSource.at("https://example.com/in.csv"))
        .isInstanceOf(PipelineSetupException.class)
        .hasMessageContaining("is a URL the worker cannot read");
  }

  @Test
  void aFileUrlIsAccepted() throws IOException {
    Path file = write("u.ndjson", "{}\n");
    assertThat(NdjsonFileSource.at(file.toUri().toString()).count()).isEqualTo(1);
  }
}
