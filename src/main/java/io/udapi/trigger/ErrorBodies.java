package io.udapi.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The error envelope of docs/api.md, "Errors of the trigger path". Bodies with a fixed detail are serialised once at start-up: they cost
 * nothing per request, and the 1010 body is the same bytes for every cause by construction.
 */
final class ErrorBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String nodeId;
    private final Map<Rejection, Buffer> fixed = new EnumMap<>(Rejection.class);

    ErrorBodies(String nodeId) {
        this.nodeId = nodeId;
        for (Rejection rejection : Rejection.values()) {
            if (rejection.fixedDetail() != null) {
                fixed.put(rejection, build(rejection.title(), rejection.fixedDetail(), rejection.errorCode(), null));
            }
        }
    }

    /** The body of a rejection; {@code detail} is used only when the rejection has no fixed one. */
    Buffer of(Rejection rejection, String detail) {
        Buffer body = fixed.get(rejection);
        return body != null ? body.copy() : build(rejection.title(), detail, rejection.errorCode(), null);
    }

    Buffer build(String title, String detail, int errorCode, List<String> missingScriptParameters) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("title", title);
        error.put("detail", detail);
        error.put("errorCode", errorCode);
        error.put("faultingNode", nodeId);
        if (missingScriptParameters != null) {
            error.put("missingScriptParameters", missingScriptParameters);
        }
        try {
            return Buffer.buffer(JSON.writeValueAsBytes(Map.of("errors", List.of(error))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body could not be serialised", e);
        }
    }
}
