package io.udapi.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.udapi.store.error.StoreDataException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An admin write the store refuses with a 4xx is answered without a retry hint (never 503). */
class StoreRefusalMappingTest {

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void documentTooLargeForTheStoreThen413PayloadTooLarge() {
        Response response = mappers.storeRefused(new StoreDataException(StoreDataException.Kind.refused, 413,
                "Elasticsearch refused ApiToken create t in i: 413 HTTP 413"));

        assertEquals(413, response.getStatus());
        assertEquals("PayloadTooLarge", firstError(response).get("reason"));
    }

    @Test
    void anyOtherRefusalThen500SayingARetryWillNotHelp() {
        Response response = mappers.storeRefused(new StoreDataException(StoreDataException.Kind.refused, 400,
                "Elasticsearch refused ApiToken create t in i: 400 document_parsing_exception: ..."));

        assertEquals(500, response.getStatus());
        Map<?, ?> error = firstError(response);
        assertEquals("InternalError", error.get("reason"));
        assertTrue(String.valueOf(error.get("message")).contains("retrying will not help"), error.toString());
    }

    private static Map<?, ?> firstError(Response response) {
        return (Map<?, ?>) ((List<?>) ((Map<?, ?>) response.getEntity()).get("errors")).get(0);
    }
}
