package io.bptemporal.contracts.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.Contracts;
import io.bptemporal.contracts.failure.PlatformFailures;
import io.bptemporal.contracts.validation.Contract;
import io.bptemporal.contracts.validation.JsonPath;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.contracts.validation.Violation;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.FailureConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import io.temporal.common.converter.PayloadConverter;
import io.temporal.failure.DefaultFailureConverter;
import io.temporal.failure.TemporalFailure;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The data converter of every bp-temporal process (installed by the runtime's Temporal connection):
 * the published JSON Schemas are the wire contract, whatever SDK wrote the payload.
 *
 * <ul>
 *   <li><b>Decoding a {@code json/plain} payload</b> into a type that has a contract ({@link
 *       Contracts#forType}): the raw JSON is checked against the schema and the contract's rules
 *       <em>before</em> it is bound; any violation throws {@link InvalidPayloadException} listing
 *       all of them. Any other type is bound by the strict mapper ({@link
 *       ContractJson#newStrictObjectMapper()}): an unknown field, a coerced scalar, a float for an
 *       integer, a missing number, a wrong-case enum or an epoch timestamp is an {@link
 *       InvalidPayloadException} too, with the JSON path.
 *   <li><b>Encoding</b> is the SDK's: plain snake_case JSON without type information.
 *   <li><b>Failures</b>: a decoding failure becomes the platform failure {@code INVALID_INPUT}
 *       (non-retryable, details = every violation); everything else is converted by the SDK's
 *       default failure converter.
 * </ul>
 *
 * <p>What the SDK then does with a decoding failure (verified on the real server, see
 * docs/contracts.md): a workflow input fails the workflow at once (with {@link
 * ContractWorkflowOptions}); a signal is dropped and logged by the worker while the workflow goes
 * on; an activity input fails the activity without retry.
 */
public final class ContractDataConverter {

  private static final DataConverter INSTANCE =
      DefaultDataConverter.newDefaultInstance()
          .withPayloadConverterOverrides(new ContractJsonPayloadConverter())
          .withFailureConverter(new ContractFailureConverter());

  private ContractDataConverter() {}

  /** The converter; immutable and shared. */
  public static DataConverter instance() {
    return INSTANCE;
  }

  /** {@code json/plain} with schema-first, strict decoding. */
  static final class ContractJsonPayloadConverter implements PayloadConverter {
    private final ObjectMapper strict = ContractJson.newStrictObjectMapper();
    private final JacksonJsonPayloadConverter writer = new JacksonJsonPayloadConverter(strict);

    @Override
    public String getEncodingType() {
      return writer.getEncodingType();
    }

    @Override
    public Optional<Payload> toData(Object value) throws DataConverterException {
      return writer.toData(value);
    }

    @Override
    public <T> T fromData(Payload payload, Class<T> valueClass, Type valueType)
        throws DataConverterException {
      String json = payload.getData().toString(StandardCharsets.UTF_8);
      Optional<Contract<T>> contract = Contracts.forType(valueClass);
      if (contract.isPresent()) {
        ValidationResult<T> result = ContractValidator.validate(contract.get(), json);
        if (!result.valid()) {
          throw new InvalidPayloadException(contract.get().name(), result.violations());
        }
        return result.value().orElseThrow();
      }
      JavaType type = strict.getTypeFactory().constructType(valueType);
      try {
        return strict.readValue(json, type);
      } catch (JsonProcessingException e) {
        throw new InvalidPayloadException(
            type.getRawClass().getSimpleName(), List.of(violationOf(e, json)));
      }
    }
  }

  /** One violation from what the strict mapper refused, with the JSON path it names. */
  static Violation violationOf(JsonProcessingException e, String json) {
    JsonPath path = JsonPath.root();
    if (e instanceof JsonMappingException mapping) {
      for (JsonMappingException.Reference reference : mapping.getPath()) {
        path =
            reference.getFieldName() != null
                ? path.property(reference.getFieldName())
                : path.index(reference.getIndex());
      }
    }
    String found = "(see message)";
    String accepted = "a value of the type the contract describes";
    String message = e.getOriginalMessage();
    if (e instanceof UnrecognizedPropertyException unknown) {
      message = "is not a known field";
      accepted =
          "the known fields: "
              + String.join(
                  ", ", unknown.getKnownPropertyIds().stream().map(String::valueOf).toList());
      found = "(present)";
    } else if (e instanceof InvalidFormatException format) {
      found = String.valueOf(format.getValue());
      accepted = "a value of type " + format.getTargetType().getSimpleName();
    } else if (e instanceof MismatchedInputException mismatched
        && mismatched.getTargetType() != null) {
      accepted = "a value of type " + mismatched.getTargetType().getSimpleName();
    }
    if (json.isBlank()) {
      found = Violation.MISSING;
    }
    return new Violation(path.value(), message, accepted, found);
  }

  /** Decoding failures become {@code INVALID_INPUT}; the rest is the SDK's default conversion. */
  static final class ContractFailureConverter implements FailureConverter {
    private final DefaultFailureConverter standard = new DefaultFailureConverter();

    @Override
    public RuntimeException failureToException(Failure failure, DataConverter dataConverter) {
      return standard.failureToException(failure, dataConverter);
    }

    @Override
    public Failure exceptionToFailure(Throwable throwable, DataConverter dataConverter) {
      if (!(throwable instanceof TemporalFailure)) {
        for (Throwable t = throwable; t != null; t = t.getCause()) {
          if (t instanceof InvalidPayloadException invalid) {
            return standard.exceptionToFailure(
                PlatformFailures.invalidInput(invalid.summary(), invalid.violations()),
                dataConverter);
          }
        }
        if (throwable instanceof DataConverterException undecodable) {
          // Not one of ours (e.g. a payload in an encoding no converter knows): still the caller's
          // input.
          String message = "the payload cannot be decoded: " + undecodable.getMessage();
          return standard.exceptionToFailure(
              PlatformFailures.invalidInput(
                  message,
                  List.of(
                      new Violation(
                          "$",
                          message,
                          "a json/plain payload as the contract describes",
                          "(see message)"))),
              dataConverter);
        }
      }
      return standard.exceptionToFailure(throwable, dataConverter);
    }
  }
}
