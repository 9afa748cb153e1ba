package io.udapi.store.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.udapi.store.error.StoreUnavailableException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.http.HttpEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The thin, blocking shell around the low-level client: one request in, status and parsed body out.
 *
 * <p>Error policy: anything that says "the cluster cannot serve this now" becomes a
 * {@link StoreUnavailableException} here (I/O failure, timeout, HTTP 5xx, 429). Every other status is
 * returned to the caller, which decides what a 404 or 409 means for its operation.
 */
final class EsClient {

    record Reply(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String summary() {
            return EsDocuments.errorSummary(status, body);
        }
    }

    private final RestClient client;
    private final ObjectMapper json;

    EsClient(RestClient client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    /** Blocking; never call it on an event-loop thread. */
    Reply perform(String method, String endpoint, Map<String, String> params, String body) {
        Response response = execute(method, endpoint, params, body);
        Reply reply = new Reply(response.getStatusLine().getStatusCode(), parse(response.getEntity()));
        if (reply.status() >= 500 || reply.status() == 429) {
            throw new StoreUnavailableException("Elasticsearch failed " + method + " " + endpoint + ": " + reply.summary());
        }
        return reply;
    }

    /** The answer, whatever its status; only a failure to reach Elasticsearch throws (an outage). */
    private Response execute(String method, String endpoint, Map<String, String> params, String body) {
        Request request = new Request(method, endpoint);
        request.addParameters(params);
        if (body != null) {
            request.setJsonEntity(body);
        }
        Response response;
        try {
            response = client.performRequest(request);
        } catch (ResponseException e) {
            response = e.getResponse();
        } catch (IOException e) {
            throw new StoreUnavailableException("Elasticsearch is unreachable (" + method + " " + endpoint + "): "
                    + e.getMessage(), e);
        }
        return response;
    }

    /** Reads a successful answer from its stream. */
    interface BodyReader<R> {
        R read(com.fasterxml.jackson.core.JsonParser parser) throws IOException;
    }

    /**
     * As {@link #perform}, but a 2xx answer is handed to {@code reader} as a streaming parser over the
     * response body (no string, no tree); any other answer that is not an outage goes to {@code refusal}.
     */
    <R> R stream(String method, String endpoint, Map<String, String> params, String body, BodyReader<R> reader,
            java.util.function.Function<Reply, RuntimeException> refusal) {
        Response response = execute(method, endpoint, params, body);
        int status = response.getStatusLine().getStatusCode();
        if (status < 200 || status >= 300) {
            Reply reply = new Reply(status, parse(response.getEntity()));
            if (status >= 500 || status == 429) {
                throw new StoreUnavailableException("Elasticsearch failed " + method + " " + endpoint + ": "
                        + reply.summary());
            }
            throw refusal.apply(reply);
        }
        try (java.io.InputStream in = response.getEntity().getContent();
                com.fasterxml.jackson.core.JsonParser parser = json.getFactory().createParser(in)) {
            return reader.read(parser);
        } catch (IOException e) {
            throw new StoreUnavailableException("Elasticsearch's answer to " + method + " " + endpoint
                    + " broke off: " + e.getMessage(), e);
        }
    }

    private JsonNode parse(HttpEntity entity) {
        if (entity == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        String text = null;
        try {
            text = EntityUtils.toString(entity, StandardCharsets.UTF_8);
            return text.isBlank() ? JsonNodeFactory.instance.objectNode() : json.readTree(text);
        } catch (IOException notJson) {
            // e.g. an HTML page from a proxy in front of the cluster
            return JsonNodeFactory.instance.objectNode().put("error", text == null ? notJson.getMessage() : text);
        }
    }

    /** A document id as one path segment. */
    static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
