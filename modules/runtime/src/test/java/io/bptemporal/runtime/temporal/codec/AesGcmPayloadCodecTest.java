package io.bptemporal.runtime.temporal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.bptemporal.contracts.json.ContractDataConverter;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AesGcmPayloadCodecTest {
  private static final byte[] OLD = randomKey();
  private static final byte[] NEW = randomKey();

  private static final Payload ORDER =
      Payload.newBuilder()
          .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
          .setData(
              ByteString.copyFromUtf8(
                  "{\"customerId\":\"cust-4711\",\"paymentToken\":\"tok_abc\"}"))
          .build();

  @Test
  void roundTripRestoresMetadataAndDataAndHidesTheClearText() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeys.of("k1", Map.of("k1", OLD)));

    Payload encrypted = codec.encode(List.of(ORDER)).get(0);

    assertThat(encrypted.getMetadataMap())
        .containsOnlyKeys("encoding", "encryption-key-id")
        .containsEntry("encoding", ByteString.copyFromUtf8("binary/encrypted"))
        .containsEntry("encryption-key-id", ByteString.copyFromUtf8("k1"));
    assertThat(encrypted.getData().toStringUtf8()).doesNotContain("cust-4711", "tok_abc");
    // nonce (12) + serialized payload + tag (16)
    assertThat(encrypted.getData().size()).isEqualTo(12 + ORDER.getSerializedSize() + 16);
    assertThat(codec.decode(List.of(encrypted))).containsExactly(ORDER);
  }

  @Test
  void everyEncryptionTakesAFreshNonce() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeys.of("k1", Map.of("k1", OLD)));

    ByteString first = codec.encode(List.of(ORDER)).get(0).getData();
    ByteString second = codec.encode(List.of(ORDER)).get(0).getData();

    assertThat(first.substring(0, 12)).isNotEqualTo(second.substring(0, 12));
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void rotationWritesWithTheNewKeyAndReadsOldAndNew() {
    AesGcmPayloadCodec before = new AesGcmPayloadCodec(PayloadKeys.of("old", Map.of("old", OLD)));
    Payload writtenBefore = before.encode(List.of(ORDER)).get(0);
    AesGcmPayloadCodec after =
        new AesGcmPayloadCodec(PayloadKeys.of("new", Map.of("old", OLD, "new", NEW)));

    Payload writtenAfter = after.encode(List.of(ORDER)).get(0);

    assertThat(writtenAfter.getMetadataMap().get("encryption-key-id").toStringUtf8())
        .isEqualTo("new");
    assertThat(after.decode(List.of(writtenBefore, writtenAfter))).containsExactly(ORDER, ORDER);
  }

  @Test
  void aFlippedByteIsAnErrorNamingTheKeyNeverGarbage() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeys.of("k1", Map.of("k1", OLD)));
    Payload encrypted = codec.encode(List.of(ORDER)).get(0);
    byte[] data = encrypted.getData().toByteArray();
    data[20] ^= 0x01;
    Payload tampered = encrypted.toBuilder().setData(ByteString.copyFrom(data)).build();

    assertThatThrownBy(() -> codec.decode(List.of(tampered)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("key id 'k1'")
        .hasMessageContaining("failed authentication");
  }

  @Test
  void throughTheConverterATamperedPayloadFailsWithTheSameMessage() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeys.of("k1", Map.of("k1", OLD)));
    DataConverter converter =
        new CodecDataConverter(ContractDataConverter.instance(), List.of(codec));
    Payload encrypted = converter.toPayload("cust-4711").orElseThrow();
    byte[] data = encrypted.getData().toByteArray();
    data[data.length - 1] ^= 0x01;
    Payload tampered = encrypted.toBuilder().setData(ByteString.copyFrom(data)).build();

    assertThatThrownBy(() -> converter.fromPayload(tampered, String.class, String.class))
        .hasStackTraceContaining("key id 'k1'")
        .hasStackTraceContaining("failed authentication");
  }

  @Test
  void aPayloadRelabelledWithAnotherKeyIdFails() {
    // The key id is the associated data: moving a payload to another id (even one whose file holds
    // the same key) breaks the tag.
    AesGcmPayloadCodec codec =
        new AesGcmPayloadCodec(PayloadKeys.of("a", Map.of("a", OLD, "b", OLD)));
    Payload encrypted = codec.encode(List.of(ORDER)).get(0);
    Payload relabelled =
        encrypted.toBuilder()
            .putMetadata("encryption-key-id", ByteString.copyFromUtf8("b"))
            .build();

    assertThatThrownBy(() -> codec.decode(List.of(relabelled)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("key id 'b'");
  }

  @Test
  void anUnknownKeyIdIsAnErrorNamingItAndTheKnownOnes() {
    Payload encrypted =
        new AesGcmPayloadCodec(PayloadKeys.of("gone", Map.of("gone", OLD)))
            .encode(List.of(ORDER))
            .get(0);
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeys.of("k2", Map.of("k2", NEW)));

    assertThatThrownBy(() -> codec.decode(List.of(encrypted)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("key id 'gone'")
        .hasMessageContaining("[k2]")
        .hasMessageContaining("PAYLOAD_KEYS_DIR");
  }

  @Test
  void aTruncatedPayloadIsAnErrorNamingTheKey() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeys.of("k1", Map.of("k1", OLD)));
    Payload truncated =
        codec.encode(List.of(ORDER)).get(0).toBuilder()
            .setData(ByteString.copyFrom(new byte[10]))
            .build();

    assertThatThrownBy(() -> codec.decode(List.of(truncated)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("key id 'k1'")
        .hasMessageContaining("damaged");
  }

  @Test
  void unencryptedPayloadsPassThroughDecodeUnchanged() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeys.of("k1", Map.of("k1", OLD)));
    Payload empty = Payload.getDefaultInstance();

    assertThat(codec.decode(List.of(ORDER, empty))).containsExactly(ORDER, empty);
  }

  @Test
  void theContractConverterWrappedInTheCodecReadsHistoriesFromBeforeEncryption() {
    DataConverter plain = ContractDataConverter.instance();
    DataConverter encrypting =
        new CodecDataConverter(
            plain, List.of(new AesGcmPayloadCodec(PayloadKeys.of("k1", Map.of("k1", OLD)))));
    Payload writtenInClear = plain.toPayload("cust-4711").orElseThrow();
    Payload writtenEncrypted = encrypting.toPayload("cust-4711").orElseThrow();

    assertThat(writtenEncrypted.getData().toStringUtf8()).doesNotContain("cust-4711");
    assertThat(encrypting.fromPayload(writtenInClear, String.class, String.class))
        .isEqualTo("cust-4711");
    assertThat(encrypting.fromPayload(writtenEncrypted, String.class, String.class))
        .isEqualTo("cust-4711");
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
