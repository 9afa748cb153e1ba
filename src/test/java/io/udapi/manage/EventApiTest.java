package io.udapi.manage;

import static io.udapi.manage.AdminApi.ADMIN;
import static io.udapi.manage.AdminApi.ADMIN_PASSWORD;
import static io.udapi.manage.AdminApi.DEFINITIONS;
import static io.udapi.manage.AdminApi.EVENTS;
import static io.udapi.manage.AdminApi.TOKENS;
import static io.udapi.manage.AdminApi.USERS;
import static io.udapi.manage.AdminApi.asAdmin;
import static io.udapi.manage.AdminApi.createUser;
import static io.udapi.manage.AdminApi.definitionOf;
import static io.udapi.manage.AdminApi.json;
import static io.udapi.manage.AdminApi.newToken;
import static io.udapi.manage.AdminApi.problem;
import static io.udapi.manage.AdminApi.tokenNamed;
import static io.udapi.manage.AdminApi.unique;
import static io.udapi.manage.AdminApi.uniqueSegment;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.udapi.user.Permission;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code /admin/v1/events}: the audit trail of every write, its filters, and the live SSE stream. */
@QuarkusTest
class EventApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/admin/v1/events/stream")
    URI streamUri;

    // ---- every write is recorded

    @Test
    void tokenCreateUpdateDeleteThenThreeEventsNewestFirst() {
        String name = unique("evt");
        String id = tokenNamed(name);
        asAdmin().body(json("isDisabled", true)).patch(TOKENS + "/" + id).then().statusCode(200);
        asAdmin().post(TOKENS + "/" + id + "/rotate").then().statusCode(200);
        asAdmin().delete(TOKENS + "/" + id).then().statusCode(204);

        asAdmin().queryParam("objectId", id).get(EVENTS).then()
                .statusCode(200)
                .body("total", equalTo(4))
                .body("items.action", contains("deleted", "updated", "updated", "created"))
                .body("items.objectType", everyItem(equalTo("token")))
                .body("items.objectId", everyItem(equalTo(id)))
                .body("items.summary", contains(name, name + ": secret rotated; the previous secret stopped at once",
                        name, name))
                .body("items.user", everyItem(equalTo("admin")))
                .body("items.id", everyItem(notNullValue()))
                .body("items.at", everyItem(notNullValue()));
    }

    @Test
    void bulkRevokeThenDeletedEventOnlyForDeletedTokens() {
        String free = newToken();
        String used = newToken();
        definitionOf(uniqueSegment("evrev"), used);

        asAdmin().body(json("ids", List.of(free, used))).post(TOKENS + "/revoke").then().statusCode(200);

        asAdmin().queryParam("objectId", free).get(EVENTS).then()
                .body("items.action", contains("deleted", "created"));
        asAdmin().queryParam("objectId", used).get(EVENTS).then()
                .body("items.action", contains("created"));
    }

    @Test
    void definitionCreateUpdateDeleteThenEventsSummarisedByRoute() {
        String route = uniqueSegment("evdef") + "/{id}";
        String id = definitionOf(route);
        asAdmin().body(json("name", "renamed")).patch(DEFINITIONS + "/" + id).then().statusCode(200);
        asAdmin().delete(DEFINITIONS + "/" + id).then().statusCode(204);

        asAdmin().queryParam("objectId", id).get(EVENTS).then()
                .statusCode(200)
                .body("items.action", contains("deleted", "updated", "created"))
                .body("items.objectType", everyItem(equalTo("definition")))
                .body("items.summary", everyItem(equalTo(route)));
    }

    @Test
    void userCreateUpdateDeleteThenEventsIdentifiedByName() {
        String name = createUser();
        asAdmin().body(json("permissions", List.of("events.read"))).patch(USERS + "/" + name).then().statusCode(200);
        asAdmin().delete(USERS + "/" + name).then().statusCode(204);

        asAdmin().queryParam("objectType", "user").queryParam("objectId", name).get(EVENTS).then()
                .statusCode(200)
                .body("items.action", contains("deleted", "updated", "created"))
                .body("items.objectType", everyItem(equalTo("user")))
                .body("items.objectId", everyItem(equalTo(name)))
                .body("items.summary", everyItem(equalTo(name)));
    }

    @Test
    void writeByAnotherAdminThenEventNamesThatAdmin() {
        String user = createUser(Permission.TOKENS_WRITE);
        String id = AdminApi.as(user).body(json("name", unique("byuser"))).post(TOKENS).then()
                .statusCode(201).extract().path("id");

        asAdmin().queryParam("objectId", id).get(EVENTS).then().body("items.user", contains(user));
    }

    @Test
    void refusedOrNoOpWriteThenNoEvent() {
        String id = newToken();
        asAdmin().body(json("name", "not valid")).patch(TOKENS + "/" + id).then().statusCode(400);
        asAdmin().body(json("isDisabled", false)).patch(TOKENS + "/" + id).then().statusCode(200); // no change

        asAdmin().queryParam("objectId", id).get(EVENTS).then().body("items.action", contains("created"));
    }

    // ---- filters

    @Test
    void listEventsFilteredByObjectTypeThenOnlyThatType() {
        newToken();
        definitionOf(uniqueSegment("evtype"));

        asAdmin().queryParam("objectType", "definition").get(EVENTS).then()
                .statusCode(200)
                .body("items", org.hamcrest.Matchers.not(empty()))
                .body("items.objectType", everyItem(equalTo("definition")));
        asAdmin().queryParam("objectType", "token").get(EVENTS).then()
                .body("items.objectType", everyItem(equalTo("token")));
    }

    @Test
    void listEventsSinceAnEventsInstantThenThatEventIsIncluded() {
        String id = newToken();
        asAdmin().body(json("isDisabled", true)).patch(TOKENS + "/" + id).then().statusCode(200);
        String updatedAt = asAdmin().queryParam("objectId", id).get(EVENTS).then().extract().path("items[0].at");
        Instant at = Instant.parse(updatedAt);

        asAdmin().queryParam("objectId", id).queryParam("since", at.toString()).get(EVENTS).then()
                .statusCode(200).body("items.action", contains("updated"));
        asAdmin().queryParam("objectId", id).queryParam("since", at.plusMillis(1).toString()).get(EVENTS).then()
                .statusCode(200).body("items", empty());
        asAdmin().queryParam("objectId", id).queryParam("since", at.minusSeconds(3600).toString()).get(EVENTS).then()
                .body("items.action", contains("updated", "created"));
    }

    @Test
    void listEventsWithLimitThenAtMostThatManyNewestFirst() {
        String id = newToken();
        asAdmin().body(json("isDisabled", true)).patch(TOKENS + "/" + id).then().statusCode(200);
        asAdmin().body(json("isDisabled", false)).patch(TOKENS + "/" + id).then().statusCode(200);

        asAdmin().queryParam("objectId", id).queryParam("limit", 2).get(EVENTS).then()
                .statusCode(200).body("items", hasSize(2)).body("items.action", contains("updated", "updated"));
        asAdmin().queryParam("limit", 1000).get(EVENTS).then().statusCode(200);
    }

    @Test
    void listEventsThenNewestFirstAcrossObjects() {
        newToken();
        newToken();
        List<String> ats = asAdmin().queryParam("limit", 50).get(EVENTS).then().statusCode(200).extract().path("items.at");
        List<Instant> instants = ats.stream().map(Instant::parse).toList();
        List<Instant> sorted = new ArrayList<>(instants);
        sorted.sort(java.util.Comparator.reverseOrder());
        assertThat(instants, equalTo(sorted));
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("limit 1001", Map.of("limit", "1001")),
                Arguments.of("limit 0", Map.of("limit", "0")),
                Arguments.of("limit not a number", Map.of("limit", "many")),
                Arguments.of("unknown objectType", Map.of("objectType", "script")),
                Arguments.of("since not an instant", Map.of("since", "yesterday")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badQueries")
    void listEventsWithBadQueryParameterThen400MalformedRequest(String label, Map<String, String> query) {
        problem(asAdmin().queryParams(query).get(EVENTS), 400, "MalformedRequest");
    }

    // ---- live stream

    @Test
    void streamThenDeliversTokenCreatedLiveWithIdNameAndJsonData() throws Exception {
        try (SseReader reader = SseReader.open(streamUri, ADMIN, ADMIN_PASSWORD)) {
            assertThat(reader.contentType(), startsWith("text/event-stream"));
            // the subscription is made when the first request reaches the server; create tokens until one
            // of their events arrives, so the test does not depend on that moment
            List<String> ids = new ArrayList<>();
            SseEvent event = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (event == null && System.nanoTime() < deadline) {
                ids.add(tokenNamed(unique("live")));
                event = reader.next(Duration.ofMillis(500), e -> e.name().equals("token.created")
                        && ids.stream().anyMatch(id -> e.data().contains(id)));
            }
            assertThat("no token.created event arrived on the stream", event, notNullValue());

            JsonNode data = JSON.readTree(event.data());
            assertThat(data.path("id").asText(), equalTo(event.id()));
            assertThat(data.path("action").asText(), equalTo("created"));
            assertThat(data.path("objectType").asText(), equalTo("token"));
            assertThat(ids, org.hamcrest.Matchers.hasItem(data.path("objectId").asText()));
            assertThat(data.path("user").asText(), equalTo("admin"));
            assertThat(data.path("summary").asText(), startsWith("live-"));
            Instant.parse(data.path("at").asText());
        }
    }

    /**
     * A stream with nothing to send answers at once and then sends a comment every 15 s, so that a client sees it
     * connected and a proxy in front (60 s of silence, for nginx) does not drop it (docs/api.md, "Audit events").
     */
    @Test
    void aStreamWithNoEventsAnswersAtOnceAndSendsAHeartbeatCommentEvery15Seconds() throws Exception {
        try (SseReader reader = SseReader.openQuietly(streamUri, ADMIN, ADMIN_PASSWORD, Duration.ofSeconds(5))) {
            assertThat(reader.contentType(), startsWith("text/event-stream"));
            assertThat(reader.nextComment(Duration.ofSeconds(5)), equalTo(EventResource.HEARTBEAT_COMMENT));
            long first = System.nanoTime();
            assertThat(reader.nextComment(Duration.ofSeconds(25)), equalTo(EventResource.HEARTBEAT_COMMENT));
            long gapMillis = (System.nanoTime() - first) / 1_000_000;
            assertTrue(gapMillis >= 10_000 && gapMillis <= 25_000, "the second heartbeat came " + gapMillis + " ms after the first");
            // every block with data becomes an event; a heartbeat sent as one would have no event name
            assertThat("a heartbeat is not an event", reader.next(Duration.ofMillis(300), e -> e.name() == null), nullValue());
        }
    }

    @Test
    void heartbeatsAreDueOnTheFirstRevalidationTickAndThenEvery15Seconds() {
        long perHeartbeat = EventResource.HEARTBEAT.toMillis() / EventResource.REVALIDATE.toMillis();
        assertTrue(EventResource.heartbeatDue(0));
        for (long tick = 1; tick < perHeartbeat; tick++) {
            assertTrue(!EventResource.heartbeatDue(tick), "tick " + tick);
        }
        assertTrue(EventResource.heartbeatDue(perHeartbeat));
        assertTrue(EventResource.heartbeatDue(7 * perHeartbeat));
    }

    @Test
    void streamFilteredByObjectTypeThenOnlyThatType() throws Exception {
        try (SseReader reader = SseReader.open(URI.create(streamUri + "?objectType=definition"), ADMIN, ADMIN_PASSWORD)) {
            SseEvent event = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (event == null && System.nanoTime() < deadline) {
                newToken();
                definitionOf(uniqueSegment("live"));
                event = reader.next(Duration.ofMillis(500), e -> true);
            }
            assertThat(event, notNullValue());
            assertThat(event.name(), equalTo("definition.created"));
        }
    }

    // ---- a stream lives no longer than its user's right to it (docs/api.md)

    @Test
    void streamWhenItsUserIsDeletedThenEndsWithin2sAndDeliversNothingAfter() throws Exception {
        streamEndsAfter(user -> asAdmin().delete(USERS + "/" + user).then().statusCode(204));
    }

    @Test
    void streamWhenItsUserLosesEventsReadThenEndsWithin2s() throws Exception {
        streamEndsAfter(user -> asAdmin().contentType("application/merge-patch+json")
                .body(json("permissions", List.of("tokens.read"))).patch(USERS + "/" + user).then().statusCode(200));
    }

    @Test
    void streamWhenItsUserGetsANewPasswordThenEndsWithin2s() throws Exception {
        streamEndsAfter(user -> asAdmin().contentType("application/merge-patch+json")
                .body(json("password", "another-password-0123")).patch(USERS + "/" + user).then().statusCode(200));
    }

    @Test
    void streamWhenItsUserChangesNothingRelevantThenStaysOpen() throws Exception {
        streamEndsAfter(user -> asAdmin().contentType("application/merge-patch+json")
                .body(json("permissions", List.of("events.read", "tokens.read"))).patch(USERS + "/" + user)
                .then().statusCode(200), false);
    }

    private void streamEndsAfter(java.util.function.Consumer<String> change) throws Exception {
        streamEndsAfter(change, true);
    }

    private void streamEndsAfter(java.util.function.Consumer<String> change, boolean ends) throws Exception {
        String user = createUser(Permission.EVENTS_READ);
        try (SseReader reader = SseReader.open(streamUri, user, AdminApi.USER_PASSWORD)) {
            change.accept(user);
            boolean ended = reader.endsWithin(Duration.ofSeconds(2));
            assertThat("stream ended within 2 s of the change", ended, equalTo(ends));
            String after = tokenNamed(unique("after"));
            if (ends) {
                // the change's own event (user.updated / user.deleted) comes after it, so it is not delivered either
                assertThat("an event after the change was delivered", reader.received().stream()
                        .anyMatch(e -> e.data().contains(after) || e.name().startsWith("user.")), equalTo(false));
            } else {
                assertThat(reader.next(Duration.ofSeconds(5), e -> e.data().contains(after)), notNullValue());
            }
        }
    }

    @Test
    void streamWithoutEventsReadThen403Forbidden() {
        String user = createUser(Permission.TOKENS_READ);
        problem(AdminApi.as(user).accept("text/event-stream").get(EVENTS + "/stream"), 403, "Forbidden");
    }

    @Test
    void streamWithoutCredentialsThen401() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(streamUri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode(), equalTo(401));
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse(""), equalTo("Basic realm=\"udapi\""));
    }

    /** One server-sent event. */
    record SseEvent(String id, String name, String data) {
    }

    /** Reads a {@code text/event-stream} on a background thread into a queue of events. */
    static final class SseReader implements AutoCloseable {
        private final HttpResponse<InputStream> response;
        private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
        private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        private final Thread thread;

        private SseReader(HttpResponse<InputStream> response) {
            this.response = response;
            this.thread = new Thread(this::read, "sse-reader");
            thread.setDaemon(true);
            thread.start();
        }

        static SseReader open(URI uri, String user, String password) throws Exception {
            String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .header("Authorization", "Basic " + credentials)
                    .header("Accept", "text/event-stream")
                    .GET().build();
            CompletableFuture<HttpResponse<InputStream>> pending = HttpClient.newHttpClient()
                    .sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
            // the headers come with the stream's first heartbeat; events made while waiting do no harm
            HttpResponse<InputStream> response = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (response == null && System.nanoTime() < deadline) {
                try {
                    response = pending.get(300, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    newToken();
                }
            }
            if (response == null) {
                pending.cancel(true);
                throw new AssertionError("the event stream did not answer");
            }
            assertThat(response.statusCode(), equalTo(200));
            return new SseReader(response);
        }

        /**
         * Opens the stream without causing any event: the answer's headers must come with the stream's first
         * heartbeat, within {@code timeout}.
         */
        static SseReader openQuietly(URI uri, String user, String password, Duration timeout) throws Exception {
            String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Basic " + credentials)
                    .header("Accept", "text/event-stream").GET().build();
            HttpResponse<InputStream> response = HttpClient.newHttpClient()
                    .sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(response.statusCode(), equalTo(200));
            return new SseReader(response);
        }

        /** The next comment line's text, without the colon, within {@code timeout}; null when none came. */
        String nextComment(Duration timeout) throws InterruptedException {
            return comments.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        String contentType() {
            return response.headers().firstValue("Content-Type").orElse("");
        }

        /** The next event matching {@code accept} within {@code timeout}; null when none came. */
        SseEvent next(Duration timeout, java.util.function.Predicate<SseEvent> accept) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                SseEvent event = events.poll(left, TimeUnit.NANOSECONDS);
                if (event != null && accept.test(event)) {
                    return event;
                }
            }
            return null;
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String id = null;
                String name = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            events.add(new SseEvent(id, name, data.toString()));
                        }
                        id = null;
                        name = null;
                        data.setLength(0);
                    } else if (line.startsWith(":")) {
                        comments.add(line.substring(1).strip());
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        if (data.length() > 0) {
                            data.append('\n');
                        }
                        data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                    }
                }
            } catch (java.io.IOException e) {
                // closed by the test
            } finally {
                ended.complete(null);
            }
        }

        /** Whether the service ended the stream within {@code timeout} (every event before the end is queued). */
        boolean endsWithin(Duration timeout) throws Exception {
            try {
                ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (java.util.concurrent.TimeoutException stillOpen) {
                return false;
            }
        }

        /** Every event received so far. */
        List<SseEvent> received() {
            return List.copyOf(events);
        }

        @Override
        public void close() throws Exception {
            response.body().close();
            thread.interrupt();
        }
    }
}
