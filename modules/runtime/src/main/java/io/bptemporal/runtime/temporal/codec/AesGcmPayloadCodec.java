package io.bptemporal.runtime.temporal.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts every payload with AES-256-GCM so Temporal's history (and its database) holds no
 * personal data. The wire format, for clients in other SDKs (docs/security.md#payload-encryption):
 *
 * <ul>
 *   <li>metadata {@code encoding} = {@code binary/encrypted}, {@code encryption-key-id} = the key
 *       id (UTF-8), nothing else;
 *   <li>data = 12-byte random nonce ‖ GCM ciphertext ‖ 16-byte tag;
 *   <li>plaintext = the original {@code temporal.api.common.v1.Payload} (metadata and data)
 *       serialized as protobuf;
 *   <li>associated data = the key id (UTF-8), so a payload relabelled with another id fails.
 * </ul>
 *
 * <p>Decoding passes a payload without {@code binary/encrypted} through unchanged: histories
 * written before encryption was switched on stay readable. An encrypted payload that cannot be
 * decrypted is an error naming the key id, never a payload handed on as if it were data.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {
  public static final String METADATA_ENCODING = "encoding";
  public static final String ENCODING = "binary/encrypted";
  public static final String METADATA_KEY_ID = "encryption-key-id";
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;

  private static final ByteString ENCODING_BYTES = ByteString.copyFromUtf8(ENCODING);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PayloadKeys keys;

  public AesGcmPayloadCodec(PayloadKeys keys) {
    this.keys = keys;
  }

  public PayloadKeys keys() {
    return keys;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(this::encrypt).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  /** Whether {@code payload} is in this codec's format (else decode passes it through). */
  public static boolean isEncrypted(Payload payload) {
    return ENCODING_BYTES.equals(payload.getMetadataMap().get(METADATA_ENCODING));
  }

  private Payload encrypt(Payload payload) {
    String keyId = keys.currentKeyId();
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] sealed;
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.currentKey(), nonce, keyId);
      sealed = cipher.doFinal(payload.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(
          "cannot encrypt a payload with key id '" + keyId + "': " + e.getMessage(), e);
    }
    return Payload.newBuilder()
        .putMetadata(METADATA_ENCODING, ENCODING_BYTES)
        .putMetadata(METADATA_KEY_ID, ByteString.copyFromUtf8(keyId))
        .setData(
            ByteString.copyFrom(
                ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).flip()))
        .build();
  }

  private Payload decrypt(Payload payload) {
    if (!isEncrypted(payload)) {
      return payload;
    }
    ByteString id = payload.getMetadataMap().get(METADATA_KEY_ID);
    if (id == null || id.isEmpty()) {
      throw new PayloadCodecException(
          "an encrypted payload ("
              + ENCODING
              + ") has no "
              + METADATA_KEY_ID
              + " metadata: it was not written by this codec");
    }
    String keyId = id.toStringUtf8();
    SecretKey key =
        keys.key(keyId)
            .orElseThrow(
                () ->
                    new PayloadCodecException(
                        "a payload is encrypted with key id '"
                            + keyId
                            + "', which is not among the keys configured for reading "
                            + keys.keyIds()
                            + ": put that key's file back into PAYLOAD_KEYS_DIR (rotated-out keys"
                            + " stay there until the namespace's retention has passed)"));
    byte[] data = payload.getData().toByteArray();
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new PayloadCodecException(
          "a payload encrypted with key id '"
              + keyId
              + "' is "
              + data.length
              + " bytes long, shorter than nonce and tag ("
              + (NONCE_BYTES + TAG_BITS / 8)
              + "): it is damaged");
    }
    byte[] plain;
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, slice(data, 0, NONCE_BYTES), keyId);
      plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new PayloadCodecException(
          "a payload encrypted with key id '"
              + keyId
              + "' failed authentication (GCM tag mismatch): it was altered, or the file of key"
              + " id '"
              + keyId
              + "' holds a different key than the one it was written with",
          e);
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(
          "cannot decrypt a payload encrypted with key id '" + keyId + "': " + e.getMessage(), e);
    }
    try {
      return Payload.parseFrom(plain);
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException(
          "a payload decrypted with key id '"
              + keyId
              + "' is not a serialized Payload: it was not written by this codec",
          e);
    }
  }

  private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String keyId)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  private static byte[] slice(byte[] data, int from, int length) {
    byte[] part = new byte[length];
    System.arraycopy(data, from, part, 0, length);
    return part;
  }
}
