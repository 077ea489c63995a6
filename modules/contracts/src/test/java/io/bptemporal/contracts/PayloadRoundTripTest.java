package io.bptemporal.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.bptemporal.contracts.Fixtures.Fixture;
import io.bptemporal.contracts.json.ContractDataConverter;
import io.bptemporal.contracts.json.ContractJson;
import io.bptemporal.contracts.validation.Contract;
import io.bptemporal.contracts.validation.ValidationResult;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.File;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every payload goes JSON → record → JSON unchanged through the Temporal SDK's default data
 * converter — the converter every worker uses — starting from the bytes a Go or Python client would
 * put on the wire: a {@code json/plain} payload of snake_case JSON without any Java type
 * information.
 */
class PayloadRoundTripTest {

  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final DataConverter SDK = DefaultDataConverter.STANDARD_INSTANCE;
  private static final Map<Class<?>, Contract<?>> CONTRACT_OF =
      Contracts.ALL.stream().collect(Collectors.toMap(Contract::type, c -> c));

  static List<Fixture> fixtures() {
    return Fixtures.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void sdkConverterReadsForeignJsonAndWritesItBackUnchanged(Fixture fixture) throws Exception {
    Class<?> type = fixture.type();
    Payload fromAnotherSdk = payload(fixture);

    Object record = SDK.fromPayload(fromAnotherSdk, type, type);
    Payload written = SDK.toPayload(record).orElseThrow();
    JsonNode writtenJson = PLAIN.readTree(written.getData().toStringUtf8());

    assertThat(record).isInstanceOf(type);
    assertThat(written.getMetadataOrThrow("encoding").toStringUtf8()).isEqualTo("json/plain");
    assertThat(writtenJson).isEqualTo(fixture.json());
    assertThat(SDK.fromPayload(written, type, type)).isEqualTo(record);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void contractMapperAgreesWithTheSdk(Fixture fixture) throws Exception {
    ObjectMapper mapper = ContractJson.newObjectMapper();
    Object record = mapper.treeToValue(fixture.json(), fixture.type());
    // Through text, not valueToTree: a tree of a long field holds a LongNode, the parsed example an
    // IntNode.
    assertThat(PLAIN.readTree(mapper.writeValueAsString(record))).isEqualTo(fixture.json());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void writtenJsonCarriesNoTypeInformationAndNoNulls(Fixture fixture) throws Exception {
    Object record = SDK.fromPayload(payload(fixture), fixture.type(), fixture.type());
    JsonNode written = PLAIN.readTree(SDK.toPayload(record).orElseThrow().getData().toStringUtf8());
    List<String> problems = new ArrayList<>();
    collectProblems(written, "$", problems);
    assertThat(problems).as("fields starting with @ or holding null").isEmpty();
  }

  static List<Fixture> validatedFixtures() {
    return Fixtures.all().stream().filter(f -> CONTRACT_OF.containsKey(f.type())).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validatedFixtures")
  void examplesOfValidatedContractsPassTheirSchemaAndBindAlike(Fixture fixture) throws Exception {
    ValidationResult<?> result =
        ContractValidator.validate(CONTRACT_OF.get(fixture.type()), fixture.json());
    assertThat(result.violations()).isEmpty();
    Object viaSdk = SDK.fromPayload(payload(fixture), fixture.type(), fixture.type());
    assertThat(result.value().<Object>map(v -> v)).contains(viaSdk);
  }

  /**
   * The platform's converter (schema-first, strict) reads every example a client in another
   * language sends and writes it back unchanged; what a Java client writes for a contract passes
   * that contract's schema.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void contractConverterReadsEveryExampleAndWritesWhatTheSchemaAccepts(Fixture fixture)
      throws Exception {
    DataConverter contract = ContractDataConverter.instance();
    Object record = contract.fromPayload(payload(fixture), fixture.type(), fixture.type());
    Payload written = contract.toPayload(record).orElseThrow();
    JsonNode writtenJson = PLAIN.readTree(written.getData().toStringUtf8());

    assertThat(writtenJson).isEqualTo(fixture.json());
    if (CONTRACT_OF.containsKey(fixture.type())) {
      assertThat(
              ContractValidator.validate(CONTRACT_OF.get(fixture.type()), writtenJson).violations())
          .as("what the Java client writes for %s", fixture)
          .isEmpty();
    }
    assertThat(contract.fromPayload(written, fixture.type(), fixture.type())).isEqualTo(record);
  }

  @Test
  void everyPayloadRecordHasAnExample() throws URISyntaxException {
    Set<String> withExample =
        Fixtures.all().stream().map(Fixture::className).collect(Collectors.toSet());
    Set<String> records = new TreeSet<>();
    for (String feature :
        List.of("event", "activity", "ordersaga", "pipeline", "runactivity", "failure")) {
      File directory =
          new File(Objects.requireNonNull(ContractValidator.class.getResource(feature)).toURI());
      for (File classFile :
          Objects.requireNonNull(directory.listFiles((dir, name) -> name.endsWith(".class")))) {
        String className =
            "io.bptemporal.contracts." + feature + "." + classFile.getName().replace(".class", "");
        records.add(className);
      }
    }
    Set<String> payloadRecords =
        records.stream()
            .filter(PayloadRoundTripTest::isRecord)
            // Parsed from a cron string inside a definition, never sent on its own.
            .filter(name -> !name.endsWith(".CronExpression"))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(payloadRecords).hasSizeGreaterThan(30);
    assertThat(withExample).containsAll(payloadRecords);
  }

  private static boolean isRecord(String className) {
    try {
      return Class.forName(className).isRecord();
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Payload payload(Fixture fixture) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(fixture.json().toString()))
        .build();
  }

  private static void collectProblems(JsonNode node, String path, List<String> problems) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (field.getKey().startsWith("@")) {
          problems.add(path + "." + field.getKey());
        }
        if (field.getValue().isNull()) {
          problems.add(path + "." + field.getKey() + " = null");
        }
        collectProblems(field.getValue(), path + "." + field.getKey(), problems);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectProblems(node.get(i), path + "[" + i + "]", problems);
      }
    }
  }
}
