package io.udapi.manage;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.udapi.problem.Problem;
import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import io.udapi.store.error.ObjectNotFoundException;
import io.udapi.store.error.StoreDataException;
import io.udapi.store.error.StoreUnavailableException;
import io.udapi.store.error.VersionConflictException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of the management API into the error body of docs/api.md. Refusals arrive as
 * {@link ProblemException}; framework and store failures are translated here so no 500 with a stack
 * trace ever leaves the service.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** Refusals of the services; 401, 403 and 415 are answered earlier, by {@link AdminGate}. */
    @ServerExceptionMapper
    public Response problems(ProblemException e) {
        return body(e.problems()).build();
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return respond(List.of(JsonBody.notJson(e)));
    }

    @ServerExceptionMapper
    public Response storeDown(StoreUnavailableException e) {
        LOG.warnf("store unavailable: %s", e.getMessage());
        return respond(List.of(Problems.storeUnavailable("the write could not be completed")));
    }

    /**
     * The store refused the document of this write (a 4xx, not an outage: retrying fails the same way).
     * A document too large for the store is the caller's to fix (413); any other refusal (a mapping an
     * operator changed) is the service's, answered 500 with a message that says so, never as 503.
     */
    @ServerExceptionMapper
    public Response storeRefused(StoreDataException e) {
        LOG.errorf("the store refused a write: %s", e.getMessage());
        if (e.status() == 413) {
            return respond(List.of(Problems.of(Reason.PayloadTooLarge, null, "the object is too large for the store")));
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("reason", "InternalError");
        error.put("id", null);
        error.put("message", "the store refused the object (" + e.kind() + ", HTTP " + e.status()
                + "); retrying will not help; see the service log");
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("errors", List.of(error)))
                .build();
    }

    @ServerExceptionMapper
    public Response versionConflict(VersionConflictException e) {
        return respond(List.of(Problems.of(Reason.VersionMismatch, null,
                "the object was changed concurrently; read it again and retry")));
    }

    @ServerExceptionMapper
    public Response vanished(ObjectNotFoundException e) {
        return respond(List.of(Problems.of(Reason.NotFound, null, "the object was deleted concurrently")));
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Problem problem;
        if (e instanceof NotFoundException) {
            problem = Problems.of(Reason.NotFound, null, "no such resource");
        } else if (e instanceof NotAllowedException) {
            problem = Problems.malformed("method not allowed on this resource");
        } else if (e instanceof NotSupportedException) {
            problem = Problems.malformed("unsupported Content-Type; send application/json");
        } else if (status == 413) {
            problem = Problems.of(Reason.PayloadTooLarge, null, "the body is too large");
        } else if (status < 500) {
            problem = Problems.malformed("the request could not be read: " + e.getMessage());
        } else {
            LOG.error("management request failed", e);
            return unexpected();
        }
        Response.ResponseBuilder builder = body(List.of(problem)).status(status);
        if (e instanceof NotAllowedException) {
            builder.header(HttpHeaders.ALLOW, e.getResponse().getHeaderString(HttpHeaders.ALLOW));
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("management request failed unexpectedly", e);
        return unexpected();
    }

    private static Response unexpected() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("reason", "InternalError");
        error.put("id", null);
        error.put("message", "an unexpected error occurred; see the service log");
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("errors", List.of(error))).build();
    }

    static Response respond(List<Problem> problems) {
        return body(problems).build();
    }

    private static Response.ResponseBuilder body(List<Problem> problems) {
        // several problems of one request share the status of the first (they are all of one kind in practice)
        int status = ProblemStatus.of(problems.get(0).reason());
        List<Map<String, Object>> errors = problems.stream().map(ProblemMappers::toJson).toList();
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("errors", errors));
        // docs/api.md: a busy verification pool is retried after a second, wherever it was met
        return problems.get(0).reason() == Reason.AuthenticationBusy ? response.header("Retry-After", "1") : response;
    }

    private static Map<String, Object> toJson(Problem p) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("reason", p.reason().name());
        error.put("id", p.id());
        error.put("message", p.message());
        error.putAll(p.fields());
        return error;
    }
}
