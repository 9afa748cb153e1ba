package io.udapi.manage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udapi.problem.Problem;
import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A request body read field by field, so that a missing field, an explicit {@code null} (which clears
 * in a merge patch) and a mistyped value are told apart. Type errors and unknown fields are collected
 * as {@code MalformedRequest} problems; {@link #throwIfMalformed()} raises them all at once.
 */
final class JsonBody {

    /**
     * Strict: text after the object ({@code {} {}}) and a field given twice are refused instead of being
     * silently ignored or resolved to the last value.
     */
    private static final ObjectMapper PARSER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final ObjectNode node;
    /** Shared with nested objects, so that one {@link #throwIfMalformed()} reports them all. */
    private final List<Problem> problems;

    private JsonBody(ObjectNode node, List<Problem> problems) {
        this.node = node;
        this.problems = problems;
    }

    /** Parses a JSON object; anything else is refused at once. */
    static JsonBody parse(String raw, Set<String> allowedFields) {
        if (raw == null || raw.isBlank()) {
            throw new ProblemException(Problems.malformed("a JSON object body is required"));
        }
        JsonNode parsed;
        try {
            parsed = PARSER.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new ProblemException(notJson(e));
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw new ProblemException(Problems.malformed("the body must be a JSON object"));
        }
        JsonBody body = new JsonBody(object, new ArrayList<>());
        body.checkFields("", allowedFields);
        return body;
    }

    /**
     * The refusal of a body that is not JSON, by where it breaks only: Jackson's own message quotes the token it
     * could not read, which is the secret or the password when a client forgot its quotes (docs/security.md).
     */
    static io.udapi.problem.Problem notJson(JsonProcessingException e) {
        com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
        return Problems.malformed(at == null || at.getLineNr() < 1 ? "the body is not valid JSON"
                : "the body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }

    boolean has(String field) {
        return node.has(field);
    }

    /** The raw value of a field whose every JSON type the caller judges itself; null when absent. */
    JsonNode value(String field) {
        return node.get(field);
    }

    boolean isNull(String field) {
        return node.has(field) && node.get(field).isNull();
    }

    /** The string value; empty when absent or null; a non-string is recorded as malformed. */
    Optional<String> string(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            wrongType(field, "a string");
            return Optional.empty();
        }
        return Optional.of(value.textValue());
    }

    Optional<Boolean> bool(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            wrongType(field, "true or false");
            return Optional.empty();
        }
        return Optional.of(value.booleanValue());
    }

    /** A nested object as its own body, with its own allowed fields. */
    Optional<JsonBody> object(String field, Set<String> allowedFields) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!(value instanceof ObjectNode object)) {
            wrongType(field, "an object");
            return Optional.empty();
        }
        JsonBody nested = new JsonBody(object, problems);
        nested.checkFields(field + ".", allowedFields);
        return Optional.of(nested);
    }

    private void checkFields(String prefix, Set<String> allowedFields) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowedFields.contains(name)) {
                problems.add(Problems.malformed("unknown field '" + prefix + name + "'; allowed: " + allowedFields));
            }
        }
    }

    /** An integer value (no fractions, no strings). */
    Optional<Integer> integer(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            wrongType(field, "an integer");
            return Optional.empty();
        }
        return Optional.of(value.intValue());
    }

    /** An array of strings. */
    Optional<List<String>> strings(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            wrongType(field, "an array of strings");
            return Optional.empty();
        }
        List<String> result = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                wrongType(field, "an array of strings");
                return Optional.empty();
            }
            result.add(element.textValue());
        }
        return Optional.of(List.copyOf(result));
    }

    /**
     * The value as plain Java, for a field whose shape errors have their own reason: empty when absent or
     * null; an array as a list whose textual elements are {@code String}s and whose other elements are
     * their JSON nodes (whose {@code toString} is their JSON text); any other value as its JSON node.
     */
    Optional<Object> plain(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            return Optional.of(value);
        }
        List<Object> elements = new ArrayList<>(value.size());
        for (JsonNode element : value) {
            elements.add(element.isTextual() ? element.textValue() : element);
        }
        return Optional.of(elements);
    }

    /** Records a malformation found while interpreting a well-typed value (e.g. an unknown enum name). */
    void malformed(String message) {
        problems.add(Problems.malformed(message));
    }

    private void wrongType(String field, String expected) {
        problems.add(Problems.malformed("field '" + field + "' must be " + expected));
    }

    /** Every malformation found so far, for a parser that answers a {@link Validated} instead of throwing. */
    List<Problem> malformations() {
        return List.copyOf(problems);
    }

    /** Raises every malformation found so far; called before any semantic validation. */
    void throwIfMalformed() {
        if (!problems.isEmpty()) {
            throw new ProblemException(problems);
        }
    }
}
