package io.steward.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.steward.server.error.ServiceException;
import java.util.stream.Collectors;

/** The server's one JSON configuration, and reading request bodies into records safely. */
public final class Json {
    private Json() {}

    /** ISO-8601 timestamps, unknown fields refused, no class names in any message we build. */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(new SimpleModule().addDeserializer(String.class, new StorableString()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Parses {@code body} as {@code type}.
     *
     * @throws ServiceException.Malformed naming the field whose value has the wrong type, or
     *     saying the JSON cannot be parsed; never echoing Jackson's own text (it names classes)
     */
    public static <T> T parse(ObjectMapper mapper, byte[] body, Class<T> type) {
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new ServiceException.Malformed("request body must be a JSON object");
            }
            return value;
        } catch (NulCharacter e) {
            throw new ServiceException.Malformed(
                    "field '" + pathOf(e) + "' contains a NUL character, which no text may hold");
        } catch (UnrecognizedPropertyException e) {
            throw new ServiceException.Malformed("unknown field '" + e.getPropertyName() + "'");
        } catch (MismatchedInputException e) {
            String path = pathOf(e);
            throw new ServiceException.Malformed(
                    path.isEmpty() ? "request body must be a JSON object" : "field '" + path + "' has the wrong type");
        } catch (JsonMappingException e) {
            String path = pathOf(e);
            throw new ServiceException.Malformed(
                    path.isEmpty() ? "request body is not valid for this call" : "field '" + path + "' is not valid");
        } catch (JsonProcessingException e) {
            throw new ServiceException.Malformed("request body is not valid JSON");
        } catch (java.io.IOException e) {
            throw new ServiceException.Malformed("request body could not be read");
        }
    }

    /**
     * Text as PostgreSQL can store it: a string holding a NUL character (U+0000) is refused while
     * the body is read, so that it never reaches a query and fails there.
     */
    private static final class StorableString extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws java.io.IOException {
            String value = super.deserialize(p, ctxt);
            if (value != null && value.indexOf('\u0000') >= 0) {
                throw new NulCharacter(p);
            }
            return value;
        }
    }

    private static final class NulCharacter extends JsonMappingException {
        private static final long serialVersionUID = 1L;

        NulCharacter(JsonParser p) {
            super(p, "NUL character in text");
        }
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
