package io.udapi.manage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.udapi.audit.AuditEvent;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /admin/v1/events}: the audit trail from the store, and live as server-sent events. */
@Path("/admin/v1/events")
@Tag(name = "Events")
public class EventResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** How often an open stream re-checks its user (docs/api.md: closed within 2 s of a change). */
    static final Duration REVALIDATE = Duration.ofMillis(500);
    /**
     * How often a stream sends a comment when it has nothing else to send (docs/api.md, "Audit events"): well inside the
     * 60 s after which proxies (nginx's {@code proxy_read_timeout}, ingress-nginx, load balancers) drop a silent
     * response, and a sign to the client that the stream is alive. One is also sent at once, so the answer's
     * headers reach the client when it connects rather than with the first event.
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    static final String HEARTBEAT_COMMENT = "udapi: no new events";
    private static final long TICKS_PER_HEARTBEAT = HEARTBEAT.toMillis() / REVALIDATE.toMillis();
    private static final Object HEARTBEAT_DUE = new Object();

    private final Store store;
    private final AuditTrail audit;
    private final AdminCaller callers;
    private final AdminAuthenticator authenticator;
    private final ObjectMapper json;

    EventResource(Store store, AuditTrail audit, AdminCaller callers, AdminAuthenticator authenticator,
                  ObjectMapper json) {
        this.store = store;
        this.audit = audit;
        this.callers = callers;
        this.authenticator = authenticator;
        this.json = json;
    }

    @Operation(operationId = "listEvents", summary = "List audit events", description = "Newest first.")
    @Parameter(name = "objectType", in = ParameterIn.QUERY, schema = @Schema(implementation = io.udapi.audit.AuditEvent.ObjectType.class))
    @Parameter(name = "objectId", in = ParameterIn.QUERY, description = "The object's id (a user's name).")
    @Parameter(name = "since", in = ParameterIn.QUERY, description = "Only events at or after this instant.",
            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
    @Parameter(name = "limit", in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "100"))
    @APIResponse(responseCode = "200", description = "The matching events.",
            content = @Content(schema = @Schema(implementation = EventSchemas.EventList.class)))
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Listing<?> list(@QueryParam("objectType") String objectType, @QueryParam("objectId") String objectId,
                                    @QueryParam("since") String since, @QueryParam("limit") String limit) {
        EventQuery query = query(objectType, objectId, since, QueryParams.integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
        List<AuditEvent> events = store.events().find(query);
        return new Listing<>(events, events.size());
    }

    /**
     * Live events with the same filters; {@code since} does not replay history here. The stream lives only as
     * long as its user's sign-in would still succeed with {@code events.read}: it ends (and the connection
     * with it) within {@link #REVALIDATE} of the user's deletion, a new password or the loss of the permission,
     * and no event after such a change is delivered on it (each event is checked before it is sent; on this
     * instance the registry changes before the change's own event is published, on others within the sync
     * interval).
     */
    @Operation(operationId = "streamEvents", summary = "Follow audit events live",
            description = "Server-sent events with the filters of listEvents (since does not replay history): id the event "
                    + "id, event <objectType>.<action>, data the event JSON. The stream ends when its user loses events.read.")
    @Parameter(name = "objectType", in = ParameterIn.QUERY, schema = @Schema(implementation = io.udapi.audit.AuditEvent.ObjectType.class))
    @Parameter(name = "objectId", in = ParameterIn.QUERY, description = "The object's id (a user's name).")
    @APIResponse(responseCode = "200", description = "A text/event-stream of audit events.",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> stream(@QueryParam("objectType") String objectType,
                                          @QueryParam("objectId") String objectId, @Context Sse sse) {
        Caller caller = callers.current();
        EventQuery filter = query(objectType, objectId, null, 1);
        Multi<Object> events = audit.stream().filter(filter::matches).map(e -> e);
        Multi<Object> ticks = Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(REVALIDATE)
                .map(tick -> heartbeatDue(tick) ? HEARTBEAT_DUE : tick);
        return Multi.createBy().merging().streams(events, ticks)
                .select().first(item -> authenticator.stillValid(caller, Permission.EVENTS_READ))
                .select().where(item -> item instanceof AuditEvent || item == HEARTBEAT_DUE)
                .map(item -> item instanceof AuditEvent e
                        ? sse.newEventBuilder().id(e.id()).name(e.eventName()).data(toJson(e))
                                .mediaType(MediaType.APPLICATION_JSON_TYPE).build()
                        : sse.newEventBuilder().comment(HEARTBEAT_COMMENT).build());
    }

    /** The revalidation ticks that also send a heartbeat: the first (at once), then one every {@link #HEARTBEAT}. */
    static boolean heartbeatDue(long tick) {
        return tick % TICKS_PER_HEARTBEAT == 0;
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
