package io.bptemporal.router.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.router.MalformedRecords;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EnvelopeDecoderTest {
  private static final int MAX = 4096;
  private final EnvelopeDecoder decoder = new EnvelopeDecoder(MAX);

  static List<MalformedRecords.Malformed> malformed() {
    return MalformedRecords.all("unit", MAX);
  }

  @Test
  void thereAreAtLeastTwentyKinds() {
    assertThat(malformed()).hasSizeGreaterThanOrEqualTo(20);
    assertThat(malformed().stream().map(MalformedRecords.Malformed::name).distinct())
        .hasSameSizeAs(malformed());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void eachMalformedRecordIsRejectedWithAPreciseReason(MalformedRecords.Malformed m) {
    Decoded decoded = decoder.decode(m.value());
    assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
    Decoded.Rejected rejected = (Decoded.Rejected) decoded;
    assertThat(rejected.kind()).as(rejected.reason()).isEqualTo(m.kind());
    assertThat(rejected.reason()).contains(m.words()).contains("accepted");
  }

  @Test
  void aNullValueIsATombstone() {
    Decoded decoded = decoder.decode(null);
    assertThat(decoded)
        .isEqualTo(
            new Decoded.Rejected(
                DeadLetterReason.EMPTY,
                "the record has no value (null, a tombstone); accepted: an event envelope as UTF-8"
                    + " JSON, docs/contracts.md#event-envelope"));
  }

  @Test
  void aValidEnvelopeDecodesWithItsDocument() {
    Decoded decoded =
        decoder.decode(
            MalformedRecords.valid("e-1", "order.placed").getBytes(StandardCharsets.UTF_8));
    assertThat(decoded).isInstanceOf(Decoded.Envelope.class);
    Decoded.Envelope envelope = (Decoded.Envelope) decoded;
    assertThat(envelope.envelope().eventId()).isEqualTo("e-1");
    assertThat(envelope.envelope().subject()).contains("order/o-1");
    assertThat(envelope.document().path("payload").path("n").asInt()).isEqualTo(1);
  }

  @Test
  void aNewerMinorVersionWithUnknownFieldsIsRead() {
    String newer =
        MalformedRecords.valid("e-2", "order.placed")
            .replace("\"1.0\"", "\"1.7\"")
            .replace("\"payload\"", "\"priority\": \"high\", \"payload\"");
    assertThat(decoder.decode(newer.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(Decoded.Envelope.class);
  }
}
