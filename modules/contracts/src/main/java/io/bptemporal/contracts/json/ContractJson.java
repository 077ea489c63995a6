package io.bptemporal.contracts.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.JacksonJsonPayloadConverter;

/**
 * The JSON mapping of every contract record.
 *
 * <p>Workers use the Temporal SDK's default data converter, so the records are written to come out the
 * same through {@link JacksonJsonPayloadConverter#newDefaultObjectMapper()} as through any other mapper:
 * property names are fixed by annotations on the records (snake_case), unknown properties are ignored by
 * annotation, timestamps are ISO-8601 strings. This class hands out that same mapper configuration, plus
 * duplicate-key detection, which a contract document must not rely on.
 */
public final class ContractJson {

    private ContractJson() {
    }

    /** A new mapper configured exactly like the Temporal SDK's default JSON payload converter. */
    public static ObjectMapper newObjectMapper() {
        ObjectMapper mapper = JacksonJsonPayloadConverter.newDefaultObjectMapper();
        // {"a":1,"a":2} is ambiguous (other parsers keep the first, Jackson the last): reject it.
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper;
    }
}
