package io.udapi.manage;

import io.udapi.audit.Stamp;
import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.registry.Registry;
import io.udapi.secret.SecretGenerator;
import io.udapi.token.ApiToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The token service of {@code /admin/v1/tokens} (docs/api.md, docs/tokens.md): creates, changes and rotates
 * tokens, and hands reads to {@link TokenListing} and deletions to {@link TokenRevocation}. Bodies become
 * values in {@link TokenRequests}; a new secret is hashed and checked by {@link TokenSecrets} before any lock;
 * the write itself is {@link AdminWrites}'s (docs/architecture.md, "Admin writes").
 */
@ApplicationScoped
public class TokenAdmin {

    static final Set<String> CREATE_FIELDS = TokenRequests.CREATE_FIELDS;
    static final Set<String> PATCH_FIELDS = TokenRequests.PATCH_FIELDS;
    static final Set<String> ROTATE_FIELDS = TokenRequests.ROTATE_FIELDS;

    private final AdminWrites writes;
    private final TokenListing listing;
    private final TokenRevocation revocation;
    private final TokenSecrets secrets;
    private final SecretGenerator generator;
    private final Registry registry;
    private final Clock clock;

    TokenAdmin(AdminWrites writes, TokenListing listing, TokenRevocation revocation, TokenSecrets secrets,
               SecretGenerator generator, Registry registry, Clock clock) {
        this.writes = writes;
        this.listing = listing;
        this.revocation = revocation;
        this.secrets = secrets;
        this.generator = generator;
        this.registry = registry;
        this.clock = clock;
    }

    /** A token together with the secret to show once (null when no secret was set). */
    public record Created(ApiToken token, String secret) {
    }

    /** The query of {@code GET /admin/v1/tokens}; a null field does not filter. */
    public record Filter(String name, Boolean disabled, Boolean expired, String createdBy) {
    }

    public ListQuery.Page<ApiToken> list(Filter filter, String sort, String page, String size) {
        return listing.list(filter, sort, page, size);
    }

    public ApiToken get(String id) {
        return listing.get(id);
    }

    public Created create(Caller caller, JsonBody body) {
        Instant now = clock.instant();
        TokenRequests.Create request = TokenRequests.create(body, now).orThrow();
        String secret = request.secret().orElseGet(generator::generate);
        String id = UUID.randomUUID().toString();
        // the new id is not exposed in a refusal: no object has it (docs/api.md, "Errors of the management
        // API": the id is null when there is none)
        checkNameFree(null, request.name());   // early answer; checked again under the write lock
        TokenSecrets.NewSecret hashed = secrets.prepare(secret);
        ApiToken created = writes.write(caller, ObjectKind.TOKEN, secrets.guard(null, secret, hashed), () -> {
            checkNameFree(null, request.name());
            return new AdminWrites.Change.Create<>(new ApiToken(id, request.name(), hashed.hash(), hashed.tag(),
                    hashed.hint(), request.disabled(), request.expiresAt(), request.rateLimit(), null,
                    request.ranges(), Stamp.created(caller.name(), now), 1));
        });
        return new Created(created, secret);
    }

    public ApiToken patch(Caller caller, String id, String ifMatch, JsonBody body) {
        TokenRequests.Patch request = TokenRequests.patch(body, id).orThrow();
        if (request.secret().isEmpty()) {
            return writes.write(caller, ObjectKind.TOKEN, () -> patched(id, ifMatch, request, null));
        }
        Preconditions.checkIfMatch(ifMatch, get(id));   // early 404/412; checked again under the write lock
        String secret = request.secret().get();
        TokenSecrets.NewSecret hashed = secrets.prepare(secret);
        return writes.write(caller, ObjectKind.TOKEN, secrets.guard(id, secret, hashed),
                () -> patched(id, ifMatch, request, hashed));
    }

    /** @param secret the new secret, hashed, or null to keep the current one */
    private AdminWrites.Change<ApiToken> patched(String id, String ifMatch, TokenRequests.Patch request,
                                                 TokenSecrets.NewSecret secret) {
        ApiToken current = get(id);
        Preconditions.checkIfMatch(ifMatch, current);
        request.name().ifPresent(name -> checkNameFree(id, name));
        ApiToken next = request.applyTo(current);
        return AdminWrites.Change.update(current, secret == null ? next : secret.applyTo(next));
    }

    /**
     * Rotation: a new secret, generated unless one is given, returned once; the replaced secret keeps
     * authenticating for {@code previousSecretValidFor} (PT0S..P7D, default PT0S). {@code endOverlap: true}
     * alone ends an overlap at once instead. See docs/tokens.md, "Rotation with an overlap".
     *
     * @param body null for a request without a body
     * @return the token and its new secret; for {@code endOverlap} the secret is null
     */
    public Created rotate(Caller caller, String id, JsonBody body) {
        TokenRequests.Rotation request = TokenRequests.rotation(body, id).orThrow();
        if (!(request instanceof TokenRequests.Rotation.Rotate rotation)) {
            return new Created(endOverlap(caller, id), null);
        }
        String secret = rotation.secret().orElseGet(generator::generate);
        get(id);   // early 404
        TokenSecrets.NewSecret hashed = secrets.prepare(secret);
        ApiToken saved = writes.write(caller, ObjectKind.TOKEN, secrets.guard(id, secret, hashed), () -> {
            ApiToken current = get(id);
            Instant now = clock.instant();
            // a rotation during an overlap drops the older previous secret at once: at most two secrets
            ApiToken rotated = rotation.overlap().isZero() ? hashed.applyTo(current)
                    : current.rotatedTo(hashed.hash(), hashed.tag(), hashed.hint(), now, now.plus(rotation.overlap()));
            return new AdminWrites.Change.Update<>(current, rotated,
                    RotationRules.summary(current.name(), rotation.overlap(), now));
        });
        return new Created(saved, secret);
    }

    /**
     * The previous secret stops at once. On a token without a live overlap it is a no-op (200, the token
     * unchanged, no new version, no event), so a retry or a race with the overlap's own end is harmless.
     */
    private ApiToken endOverlap(Caller caller, String id) {
        return writes.write(caller, ObjectKind.TOKEN, () -> {
            ApiToken current = get(id);
            if (current.liveOverlap(clock.instant()).isEmpty()) {
                return new AdminWrites.Change.Keep<>(current);
            }
            return new AdminWrites.Change.Update<>(current, current.withPreviousSecret(null),
                    RotationRules.endedSummary(current.name()));
        });
    }

    public void delete(Caller caller, String id, String ifMatch) {
        revocation.delete(caller, id, ifMatch);
    }

    public List<Map<String, Object>> revoke(Caller caller, List<String> ids) {
        return revocation.revoke(caller, ids);
    }

    /**
     * The in-memory half of the name check; {@link AdminWrites} claims the name across instances.
     *
     * @param id the token being changed (it may keep its own name), or null for a new token
     */
    private void checkNameFree(String id, String name) {
        registry.tokenNamed(name).filter(other -> !other.id().equals(id)).ifPresent(other -> {
            throw new ProblemException(Problems.nameInUse(id, name));
        });
    }
}
