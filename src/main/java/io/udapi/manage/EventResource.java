package io.udapi.manage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.udapi.audit.AuditEvent;
import io.udapi.audit.AuditTrail;
import io.udapi.store.EventQuery;
import io.udapi.store.Store;
import io.udapi.user.Permission;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Map;

/** {@code /admin/v1/events}: the audit trail from the store, and live as server-sent events. */
@Path("/admin/v1/events")
public class EventResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final Store store;
    private final AuditTrail audit;
    private final AdminAuthenticator auth;
    private final ObjectMapper json;

    EventResource(Store store, AuditTrail audit, AdminAuthenticator auth, ObjectMapper json) {
        this.store = store;
        this.audit = audit;
        this.auth = auth;
        this.json = json;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Listing<?> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                    @QueryParam("objectType") String objectType, @QueryParam("objectId") String objectId,
                                    @QueryParam("since") String since, @QueryParam("limit") String limit) {
        auth.require(authorization, Permission.EVENTS_READ);
        EventQuery query = query(objectType, objectId, since, QueryParams.integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
        List<AuditEvent> events = store.events().find(query);
        return new Listing<>(events, events.size());
    }

    /** Live events with the same filters; {@code since} does not replay history here. */
    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> stream(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                          @QueryParam("objectType") String objectType,
                                          @QueryParam("objectId") String objectId, @Context Sse sse) {
        auth.require(authorization, Permission.EVENTS_READ);
        EventQuery filter = query(objectType, objectId, null, 1);
        return audit.stream().filter(filter::matches)
                .map(e -> sse.newEventBuilder().id(e.id()).name(e.eventName()).data(toJson(e))
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).build());
    }

    private static EventQuery query(String objectType, String objectId, String since, int limit) {
        return new EventQuery(QueryParams.enumValue("objectType", objectType, AuditEvent.ObjectType.class).orElse(null),
                TokenResource.emptyToNull(objectId), QueryParams.instant("since", since).orElse(null), limit);
    }

    private String toJson(AuditEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit event could not be serialised", e);
        }
    }
}
