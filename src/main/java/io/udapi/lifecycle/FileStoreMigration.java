package io.udapi.lifecycle;

import io.udapi.audit.AuditEvent;
import io.udapi.definition.ApiDefinition;
import io.udapi.manage.UniqueKeys;
import io.udapi.route.RoutePattern;
import io.udapi.store.Claims;
import io.udapi.store.EventPage;
import io.udapi.store.StoreJson;
import io.udapi.store.es.ElasticsearchStore;
import io.udapi.store.es.ElasticsearchStore.ClaimRow;
import io.udapi.store.file.FileStore;
import io.udapi.token.ApiToken;
import io.udapi.token.TokenName;
import io.udapi.user.AdminUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Copies a file store into Elasticsearch ({@code udapi.migrate.from-file-store}, see
 * {@link io.udapi.config.UdapiConfig.Migrate}). Idempotent and resumable: every write is a bulk
 * {@code create} that keeps an id that already exists, and the copy is marked in the claims index
 * ({@value #MARKER_KIND}/{@value #MARKER_KEY}: {@code in-progress}, then {@code done}).
 *
 * <p>It refuses to merge into an index set that already holds tokens or definitions without its marker
 * (route and name conflicts between two independent data sets are an operator decision).
 */
public final class FileStoreMigration {

    private static final Logger LOG = Logger.getLogger(FileStoreMigration.class);
    static final String MARKER_KIND = "migration";
    static final String MARKER_KEY = "file-store";
    static final String IN_PROGRESS = "in-progress";
    static final String DONE = "done";

    /** What a run did; {@code skipped} names why nothing was copied, or is null. */
    public record Result(int tokens, int definitions, int users, int events, int claims, String skipped) {
    }

    private FileStoreMigration() {
    }

    /**
     * @param pepper the configured pepper; compared with {@code <dir>/pepper} when that file exists
     */
    public static Result run(Path dir, ElasticsearchStore target, Optional<String> pepper, Clock clock) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("udapi.migrate.from-file-store: " + dir.toAbsolutePath()
                    + " is not a directory");
        }
        checkPepper(dir, pepper);
        Claims claims = target.claims();
        Optional<Claims.Claim> marker = claims.owner(MARKER_KIND, MARKER_KEY);
        if (marker.isPresent() && marker.get().owner().equals(DONE)) {
            return new Result(0, 0, 0, 0, 0, "already migrated at " + marker.get().at());
        }
        if (marker.isEmpty()) {
            if (target.holdsTokensOrDefinitions()) {
                return new Result(0, 0, 0, 0, 0,
                        "Elasticsearch already holds tokens or definitions that were not migrated; not merging");
            }
            claims.claim(MARKER_KIND, MARKER_KEY, IN_PROGRESS, clock.instant());
        } else {
            LOG.infof("resuming the file store migration started at %s", marker.get().at());
        }

        long t0 = System.nanoTime();
        FileStore source = new FileStore(dir, StoreJson.mapper());
        List<ApiToken> tokens = source.tokens().list();
        List<ApiDefinition> definitions = source.definitions().list();
        List<AdminUser> users = source.users().list();
        List<AuditEvent> events = new ArrayList<>();
        long cursor = 0;
        while (true) {
            EventPage page = source.events().changesAfter(cursor, 1000);
            events.addAll(page.events());
            if (page.events().isEmpty() || page.nextCursor() <= cursor) {
                break;
            }
            cursor = page.nextCursor();
        }
        Instant now = clock.instant();
        List<ClaimRow> claimRows = new ArrayList<>();
        tokens.forEach(t -> claimRows.add(new ClaimRow(UniqueKeys.TOKEN_NAME, TokenName.key(t.name()), t.id(), now)));
        definitions.forEach(d -> claimRows.add(new ClaimRow(UniqueKeys.ROUTE, RoutePattern.of(d.route()).conflictKey(),
                d.id(), now)));

        // claims first: an object is never visible without the claim that protects its unique key
        int claimCount = target.importClaims(claimRows);
        int userCount = target.importUsers(users);
        int tokenCount = target.importTokens(tokens);
        int definitionCount = target.importDefinitions(definitions);
        int eventCount = target.importEvents(events);
        claims.takeOver(MARKER_KIND, MARKER_KEY, IN_PROGRESS, DONE, clock.instant());
        LOG.infof("migrated the file store %s into Elasticsearch in %d ms: %d/%d tokens, %d/%d definitions, "
                + "%d/%d admin users, %d/%d events, %d/%d claims (created/read; the rest existed)",
                dir.toAbsolutePath(), (System.nanoTime() - t0) / 1_000_000, tokenCount, tokens.size(), definitionCount,
                definitions.size(), userCount, users.size(), eventCount, events.size(), claimCount, claimRows.size());
        return new Result(tokenCount, definitionCount, userCount, eventCount, claimCount, null);
    }

    private static void checkPepper(Path dir, Optional<String> pepper) {
        Path file = dir.resolve("pepper");
        if (!Files.exists(file)) {
            LOG.infof("%s has no pepper file: udapi.secrets.pepper must be the one the file store used, or the "
                    + "migrated secrets will not authenticate", dir.toAbsolutePath());
            return;
        }
        try {
            String stored = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!stored.equals(pepper.map(String::trim).orElse(""))) {
                throw new IllegalStateException("udapi.migrate.from-file-store: udapi.secrets.pepper differs from "
                        + file.toAbsolutePath() + "; the lookup tags of the migrated tokens depend on it, so set "
                        + "udapi.secrets.pepper to that file's content");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
