package io.udapi.manage;

import com.fasterxml.jackson.databind.JsonNode;
import io.udapi.audit.AuditEvent.Action;
import io.udapi.audit.AuditEvent.ObjectType;
import io.udapi.audit.Stamp;
import io.udapi.definition.ApiDefinition;
import io.udapi.problem.Problem;
import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import io.udapi.registry.Registry;
import io.udapi.secret.LookupTagger;
import io.udapi.secret.SecretGenerator;
import io.udapi.secret.SecretHasher;
import io.udapi.secret.SecretRules;
import io.udapi.store.Store;
import io.udapi.token.ApiToken;
import io.udapi.token.RateLimit;
import io.udapi.token.SourceRanges;
import io.udapi.token.TokenName;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Creates, changes and deletes tokens (SPEC 1.1, 3). Reads come from the registry, so they keep working
 * while the store is down; writes go to the store first, then to the registry, under {@link WriteLock}
 * so that uniqueness checks and the write are one step on this instance.
 *
 * <p>Secret uniqueness across instances: a write that sets a secret holds the {@link ClusterMutex} of
 * the secret's lookup tag, re-reads from the store every token with that tag, compares the new secret
 * with each by Argon2 (outside the write lock), and writes before releasing. Nothing but the Argon2
 * hash and the peppered tag is stored, so no stored value allows a cheap check of a guessed secret.
 */
@ApplicationScoped
public class TokenAdmin {

    static final Set<String> CREATE_FIELDS = Set.of("name", "secret", "isDisabled", "expiresAt", "rateLimit",
            "allowedSourceRanges");
    static final Set<String> PATCH_FIELDS = Set.of("name", "secret", "isDisabled", "expiresAt", "rateLimit",
            "allowedSourceRanges");
    static final Set<String> ROTATE_FIELDS = Set.of("secret", RotationRules.VALID_FOR, RotationRules.END_OVERLAP);
    static final Set<String> RATE_LIMIT_FIELDS = Set.of("limit", "window");
    private static final Pattern PLAIN_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private static final Map<String, Comparator<ApiToken>> SORTABLE = Map.of(
            "id", Comparator.comparing(ApiToken::id),
            "name", Comparator.comparing(t -> TokenName.key(t.name())),
            "isDisabled", Comparator.comparing(ApiToken::disabled),
            "expiresAt", ListQuery.nullsLast(ApiToken::expiresAt),
            "createdBy", Comparator.comparing(t -> t.stamp().createdBy()),
            "createdAt", Comparator.comparing(t -> t.stamp().createdAt()),
            "lastModifiedBy", Comparator.comparing(t -> t.stamp().lastModifiedBy()),
            "lastModified", Comparator.comparing(t -> t.stamp().lastModified()));

    private final Store store;
    private final Registry registry;
    private final SecretHasher hasher;
    private final SecretGenerator generator;
    private final LookupTagger tagger;
    private final AuditTrail audit;
    private final WriteLock writeLock;
    private final Clock clock;
    private final UniqueKeys uniqueKeys;
    private final ClusterMutex mutex;

    TokenAdmin(Store store, Registry registry, SecretHasher hasher, SecretGenerator generator, LookupTagger tagger,
               AuditTrail audit, WriteLock writeLock, Clock clock, UniqueKeys uniqueKeys, ClusterMutex mutex) {
        this.uniqueKeys = uniqueKeys;
        this.mutex = mutex;
        this.store = store;
        this.registry = registry;
        this.hasher = hasher;
        this.generator = generator;
        this.tagger = tagger;
        this.audit = audit;
        this.writeLock = writeLock;
        this.clock = clock;
    }

    /** A token together with the secret to show once. */
    public record Created(ApiToken token, String secret) {
    }

    public record Filter(String name, Boolean disabled, Boolean expired, String createdBy) {
    }

    public ListQuery.Page<ApiToken> list(Filter filter, String sort, String page, String size) {
        ListQuery<ApiToken> query = ListQuery.parse(sort, page, size, "name", SORTABLE, Comparator.comparing(ApiToken::id));
        Instant now = clock.instant();
        String nameNeedle = filter.name() == null ? null : TokenName.key(filter.name());
        List<ApiToken> matching = registry.tokens().stream()
                .filter(t -> nameNeedle == null || TokenName.key(t.name()).contains(nameNeedle))
                .filter(t -> filter.disabled() == null || t.disabled() == filter.disabled())
                .filter(t -> filter.expired() == null || t.isExpired(now) == filter.expired())
                .filter(t -> filter.createdBy() == null || t.stamp().createdBy().equals(filter.createdBy()))
                .toList();
        return query.apply(matching);
    }

    public ApiToken get(String id) {
        return registry.token(id).orElseThrow(() -> new ProblemException(Problems.notFound("token", id)));
    }

    public Created create(Caller caller, JsonBody body) {
        Optional<String> name = body.string("name");
        Optional<String> givenSecret = body.string("secret");
        Optional<Boolean> disabled = body.bool("isDisabled");
        Optional<String> expiresAt = body.string("expiresAt");
        Optional<RateLimitInput> rateLimit = rateLimit(body);
        body.throwIfMalformed();

        Instant now = clock.instant();
        List<Problem> problems = new ArrayList<>();
        TokenName.validate(name.orElse(null)).ifPresent(m -> problems.add(Problems.invalid(Reason.InvalidName, null, m)));
        givenSecret.flatMap(SecretRules::check).ifPresent(m -> problems.add(Problems.invalid(Reason.InvalidSecret, null, m)));
        if (body.has("secret") && body.isNull("secret")) {
            problems.add(Problems.invalid(Reason.InvalidSecret, null, "secret may be omitted (then it is generated) but not null"));
        }
        Instant expiry = expiresAt.map(value -> parseExpiry(value, now, problems)).orElse(null);
        RateLimit limit = rateLimit.map(r -> r.validated(null, problems)).orElse(null);
        SourceRanges ranges = sourceRanges(body, null, problems);
        throwIf(problems);

        String secret = givenSecret.orElseGet(generator::generate);
        String id = UUID.randomUUID().toString();
        // the new id is not exposed in a refusal: no object has it (SPEC 3: id null when there is none)
        checkNameFree(null, name.get());   // early answer; checked again under the write lock
        NewSecret hashed = newSecret(secret);
        return mutex.holding(ClusterMutex.SECRET_TAG, ClusterMutex.tagKey(hashed.tag()), held -> {
            checkSecretFree(null, secret, hashed.tag());
            held.confirm();
            return writeLock.call(() -> createLocked(caller, id, name.get(), hashed, disabled.orElse(false), expiry,
                    limit, ranges, now, secret));
        });
    }

    /** The Argon2 hash, tag and hint of a new secret; the hash is computed before any lock is taken. */
    private record NewSecret(String hash, int tag, String hint) {
    }

    private NewSecret newSecret(String secret) {
        return new NewSecret(hasher.hash(secret), tagger.tag(secret), SecretRules.hint(secret));
    }

    private Created createLocked(Caller caller, String id, String name, NewSecret secret, boolean disabled,
                                 Instant expiry, RateLimit limit, SourceRanges ranges, Instant now, String plain) {
        checkNameFree(null, name);
        ApiToken token = new ApiToken(id, name, secret.hash(), secret.tag(), secret.hint(),
                disabled, expiry, limit, null, ranges, Stamp.created(caller.name(), now), 1);
        claimName(null, id, name);
        try {
            store.tokens().create(token);
        } catch (RuntimeException e) {
            uniqueKeys.release(UniqueKeys.TOKEN_NAME, TokenName.key(name), id);
            throw e;
        }
        registry.putToken(token);
        audit.record(caller.name(), Action.created, ObjectType.token, id, token.name());
        return new Created(token, plain);
    }

    public ApiToken patch(Caller caller, String id, String ifMatch, JsonBody body) {
        Optional<String> name = body.string("name");
        Optional<Boolean> disabled = body.bool("isDisabled");
        Optional<String> newSecret = body.string("secret");
        Optional<RateLimitInput> rateLimit = rateLimit(body);
        body.throwIfMalformed();

        List<Problem> problems = new ArrayList<>();
        if (body.has("expiresAt")) {
            problems.add(Problems.invalid(Reason.InvalidExpiry, id, "expiresAt is set on create only and cannot change"));
        }
        if (body.has("name")) {
            TokenName.validate(name.orElse(null)).ifPresent(m -> problems.add(Problems.invalid(Reason.InvalidName, id, m)));
        }
        if (body.has("isDisabled") && disabled.isEmpty()) {
            problems.add(Problems.malformed("isDisabled cannot be null"));
        }
        if (body.has("secret")) {
            Optional<String> rule = newSecret.isEmpty() ? Optional.of("secret cannot be null; omit it to keep the current one")
                    : SecretRules.check(newSecret.get());
            rule.ifPresent(m -> problems.add(Problems.invalid(Reason.InvalidSecret, id, m)));
        }
        RateLimit limit = rateLimit.map(r -> r.validated(id, problems)).orElse(null);
        SourceRanges ranges = sourceRanges(body, id, problems);
        throwIf(problems);

        if (newSecret.isEmpty()) {
            return writeLock.call(() -> patchLocked(caller, id, ifMatch, body, name, disabled, limit, ranges, null));
        }
        Preconditions.checkIfMatch(ifMatch, get(id));   // early 404/412; checked again under the write lock
        NewSecret hashed = newSecret(newSecret.get());
        return mutex.holding(ClusterMutex.SECRET_TAG, ClusterMutex.tagKey(hashed.tag()), held -> {
            checkSecretFree(id, newSecret.get(), hashed.tag());
            held.confirm();
            return writeLock.call(() -> patchLocked(caller, id, ifMatch, body, name, disabled, limit, ranges, hashed));
        });
    }

    /** @param secret the new secret, already checked to be free, or null to keep the current one */
    private ApiToken patchLocked(Caller caller, String id, String ifMatch, JsonBody body, Optional<String> name,
                                 Optional<Boolean> disabled, RateLimit limit, SourceRanges ranges,
                                 NewSecret secret) {
        ApiToken current = get(id);
        Preconditions.checkIfMatch(ifMatch, current);
        ApiToken next = current;
        if (name.isPresent()) {
            checkNameFree(id, name.get());
            next = next.withName(name.get());
        }
        if (disabled.isPresent()) {
            next = next.withDisabled(disabled.get());
        }
        if (body.has("rateLimit")) {
            next = next.withRateLimit(limit);
        }
        if (body.has("allowedSourceRanges")) {
            next = next.withAllowedSourceRanges(ranges); // null clears: any address again
        }
        if (secret != null) {
            next = next.withSecret(secret.hash(), secret.tag(), secret.hint());
        }
        String oldKey = TokenName.key(current.name());
        String newKey = TokenName.key(next.name());
        if (oldKey.equals(newKey)) {
            return save(caller, current, next);
        }
        claimName(id, id, next.name());
        ApiToken saved;
        try {
            saved = save(caller, current, next);
        } catch (RuntimeException e) {
            uniqueKeys.release(UniqueKeys.TOKEN_NAME, newKey, id);
            throw e;
        }
        uniqueKeys.release(UniqueKeys.TOKEN_NAME, oldKey, id);
        return saved;
    }

    /**
     * Rotation: a new secret, generated unless one is given, returned once; the replaced secret keeps
     * authenticating for {@code previousSecretValidFor} (PT0S..P7D, default PT0S). {@code endOverlap: true}
     * alone ends an overlap at once instead. See docs/tokens.md, "Rotation with an overlap".
     *
     * @return the token and its new secret; for {@code endOverlap} the secret is null
     */
    public Created rotate(Caller caller, String id, JsonBody body) {
        if (body != null && body.has(RotationRules.END_OVERLAP)) {
            return endOverlap(caller, id, body);
        }
        Optional<String> given = body == null ? Optional.empty() : body.string("secret");
        if (body != null) {
            body.throwIfMalformed();
        }
        List<Problem> problems = new ArrayList<>();
        given.flatMap(SecretRules::check).ifPresent(m -> problems.add(Problems.invalid(Reason.InvalidSecret, id, m)));
        Duration overlap = body == null || !body.has(RotationRules.VALID_FOR) ? Duration.ZERO
                : RotationRules.overlap(body.value(RotationRules.VALID_FOR), id, problems);
        throwIf(problems);
        String secret = given.orElseGet(generator::generate);
        get(id);   // early 404
        NewSecret hashed = newSecret(secret);
        return mutex.holding(ClusterMutex.SECRET_TAG, ClusterMutex.tagKey(hashed.tag()), held -> {
            checkSecretFree(id, secret, hashed.tag());
            held.confirm();
            return writeLock.call(() -> {
                ApiToken current = get(id);
                Instant now = clock.instant();
                // a rotation during an overlap drops the older previous secret at once: at most two secrets
                ApiToken rotated = overlap.isZero() ? current.withSecret(hashed.hash(), hashed.tag(), hashed.hint())
                        : current.rotatedTo(hashed.hash(), hashed.tag(), hashed.hint(), now.plus(overlap));
                ApiToken saved = save(caller, current, rotated, RotationRules.summary(current.name(), overlap, now));
                return new Created(saved, secret);
            });
        });
    }

    /**
     * {@code endOverlap: true}, and no other field: the previous secret stops at once. On a token without a
     * live overlap it is a no-op (200, the token unchanged, no new version, no event), so a retry or a race
     * with the overlap's own end is harmless.
     *
     * @return the token, with no secret to show
     */
    private Created endOverlap(Caller caller, String id, JsonBody body) {
        body.throwIfMalformed();   // unknown fields
        JsonNode end = body.value(RotationRules.END_OVERLAP);
        if (!end.isBoolean() || !end.booleanValue()) {
            throw new ProblemException(Problems.invalid(Reason.InvalidRotation, id,
                    "endOverlap can only be true (it ends the overlap at once); omit it to rotate"));
        }
        if (body.has("secret") || body.has(RotationRules.VALID_FOR)) {
            throw new ProblemException(Problems.invalid(Reason.InvalidRotation, id,
                    "endOverlap takes no other field: it ends the overlap without rotating; rotate in another request"));
        }
        return writeLock.call(() -> {
            ApiToken current = get(id);
            if (current.liveOverlap(clock.instant()).isEmpty()) {
                return new Created(current, null);
            }
            ApiToken saved = save(caller, current, current.withPreviousSecret(null),
                    RotationRules.endedSummary(current.name()));
            return new Created(saved, null);
        });
    }

    public void delete(Caller caller, String id, String ifMatch) {
        writeLock.run(() -> {
            ApiToken current = get(id);
            Preconditions.checkIfMatch(ifMatch, current);
            List<String> users = definitionsAllowing(id);
            if (!users.isEmpty()) {
                throw new ProblemException(Problems.tokenInUse(id, users));
            }
            store.tokens().delete(id, current.version());
            registry.removeToken(id);
            uniqueKeys.release(UniqueKeys.TOKEN_NAME, TokenName.key(current.name()), id);
            audit.record(caller.name(), Action.deleted, ObjectType.token, id, current.name());
        });
    }

    /**
     * SPEC 6.4: disables the token whose secret was reported leaked, as {@code PATCH isDisabled=true} does,
     * with an event that says why. {@code "disabled"}, {@code "alreadyDisabled"}, or {@code "unknown"} when
     * the token has gone meanwhile.
     */
    public String disableLeaked(Caller caller, String id) {
        return writeLock.call(() -> {
            Optional<ApiToken> current = registry.token(id);
            if (current.isEmpty()) {
                return "unknown";
            }
            if (current.get().disabled()) {
                return "alreadyDisabled";
            }
            ApiToken next = current.get().withDisabled(true).next(caller.name(), clock.instant());
            store.tokens().update(next);
            registry.putToken(next);
            audit.record(caller.name(), Action.updated, ObjectType.token, id,
                    next.name() + ": disabled, its secret was reported leaked");
            return "disabled";
        });
    }

    /** Bulk revoke: deletes what it can and reports each id; in-use tokens are reported, not deleted. */
    public List<Map<String, Object>> revoke(Caller caller, List<String> ids) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (String id : new java.util.LinkedHashSet<>(ids)) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("id", id);
            writeLock.run(() -> {
                Optional<ApiToken> current = registry.token(id);
                if (current.isEmpty()) {
                    result.put("status", "notFound");
                    return;
                }
                List<String> users = definitionsAllowing(id);
                if (!users.isEmpty()) {
                    result.put("status", "inUse");
                    result.put("apiDefinitionIdLinks", users);
                    return;
                }
                store.tokens().delete(id, current.get().version());
                registry.removeToken(id);
                uniqueKeys.release(UniqueKeys.TOKEN_NAME, TokenName.key(current.get().name()), id);
                audit.record(caller.name(), Action.deleted, ObjectType.token, id, current.get().name());
                result.put("status", "deleted");
            });
            results.add(result);
        }
        return results;
    }

    private ApiToken save(Caller caller, ApiToken current, ApiToken changed) {
        return save(caller, current, changed, changed.name());
    }

    /** @param summary the audit event's summary: the name, or the name and what the change did */
    private ApiToken save(Caller caller, ApiToken current, ApiToken changed, String summary) {
        if (changed.equals(current)) {
            return current; // nothing changed: no new version, no event
        }
        ApiToken next = changed.next(caller.name(), clock.instant());
        store.tokens().update(next);
        registry.putToken(next);
        audit.record(caller.name(), Action.updated, ObjectType.token, next.id(), summary);
        return next;
    }

    private List<String> definitionsAllowing(String tokenId) {
        return registry.definitions().all().stream()
                .filter(d -> d.allowedTokens().contains(tokenId))
                .map(ApiDefinition::id).sorted().toList();
    }

    /** {@code id}: the token being changed (it may keep its own name), or null for a new token. */
    private void checkNameFree(String id, String name) {
        registry.tokenNamed(name).filter(other -> !other.id().equals(id)).ifPresent(other -> {
            throw new ProblemException(Problems.nameInUse(id, name));
        });
    }

    /**
     * The cross-instance half of the name check: reserves the name's key for {@code tokenId}. A holder
     * that is another token still carrying that name keeps it (NameInUse, like the in-memory check).
     *
     * @param problemId the id for the error body (null on create: no object has the new id yet)
     */
    private void claimName(String problemId, String tokenId, String name) {
        String key = TokenName.key(name);
        uniqueKeys.acquire(UniqueKeys.TOKEN_NAME, key, tokenId,
                holder -> store.tokens().find(holder).filter(t -> TokenName.key(t.name()).equals(key)).isPresent())
                .ifPresent(holder -> {
                    throw new ProblemException(Problems.nameInUse(problemId, name));
                });
    }

    /**
     * The secret must match no other token, on any instance. Called holding the tag's {@link ClusterMutex}
     * and not the write lock: the candidates are read from the store (the tokens with this tag, which
     * includes those another instance wrote a moment ago and this one has not synced yet), plus the
     * registry's candidates re-read by id (documents of older versions are not indexed by tag). Argon2
     * runs only for these few tokens that share the 32-bit tag.
     *
     * @param id the token that gets the secret (it may keep its own), or null for a new token
     */
    private void checkSecretFree(String id, String secret, int tag) {
        Map<String, ApiToken> candidates = new LinkedHashMap<>();
        for (ApiToken stored : store.tokensWithTag(tag)) {
            candidates.put(stored.id(), stored);
        }
        for (ApiToken known : registry.tokensWithTag(tag)) {
            if (!candidates.containsKey(known.id())) {
                store.tokens().find(known.id()).filter(t -> t.lookupTag() == tag
                                || (t.previousSecret() != null && t.previousSecret().lookupTag() == tag))
                        .ifPresent(t -> candidates.put(t.id(), t));
            }
        }
        // a previous secret still in its overlap is a live credential too (docs/tokens.md); one whose
        // overlap has ended authenticates nobody, so its secret is free again
        Instant now = clock.instant();
        for (ApiToken other : candidates.values()) {
            if (other.id().equals(id)) {
                continue;
            }
            if (other.lookupTag() == tag && hasher.matches(secret, other.secretHash())) {
                throw new ProblemException(Problems.secretInUse(id));
            }
            if (other.liveOverlap(now).filter(p -> p.lookupTag() == tag)
                    .filter(p -> hasher.matches(secret, p.secretHash())).isPresent()) {
                throw new ProblemException(Problems.secretInUse(id));
            }
        }
    }

    /**
     * A plain date means 23:59:59 of that day in the server's zone (today is accepted); otherwise an
     * ISO-8601 instant or offset date-time. Either must lie in the future.
     */
    Instant parseExpiry(String value, Instant now, List<Problem> problems) {
        Instant expiry;
        try {
            if (PLAIN_DATE.matcher(value).matches()) {
                expiry = LocalDate.parse(value).atTime(LocalTime.of(23, 59, 59)).atZone(ZoneId.systemDefault()).toInstant();
            } else {
                expiry = OffsetDateTime.parse(value).toInstant();
            }
        } catch (DateTimeParseException e) {
            problems.add(Problems.invalid(Reason.InvalidExpiry, null,
                    "expiresAt '" + value + "' is neither a date YYYY-MM-DD nor an ISO-8601 instant"));
            return null;
        }
        if (!expiry.isAfter(now)) {
            problems.add(Problems.invalid(Reason.InvalidExpiry, null, "expiresAt " + expiry + " is not in the future"));
            return null;
        }
        return expiry;
    }

    /**
     * {@code allowedSourceRanges}: null or absent = any address; otherwise 1..100 CIDR blocks, refused as
     * InvalidSourceRange naming the entry (docs/tokens.md, "Source ranges"). Every shape error of this
     * field has that reason, a non-array value included.
     */
    private static SourceRanges sourceRanges(JsonBody body, String id, List<Problem> problems) {
        Optional<Object> value = body.plain("allowedSourceRanges");
        if (value.isEmpty()) {
            return null;
        }
        if (!(value.get() instanceof List<?> entries)) {
            problems.add(Problems.invalid(Reason.InvalidSourceRange, id,
                    "allowedSourceRanges must be an array of CIDR blocks such as [\"10.0.0.0/8\"], or null for any address"));
            return null;
        }
        SourceRanges.Parsed parsed = SourceRanges.parse("allowedSourceRanges", entries);
        if (parsed.problem() != null) {
            problems.add(Problems.invalid(Reason.InvalidSourceRange, id, parsed.problem()));
        }
        return parsed.ranges();
    }

    private Optional<RateLimitInput> rateLimit(JsonBody body) {
        return body.object("rateLimit", RATE_LIMIT_FIELDS)
                .map(r -> new RateLimitInput(r.integer("limit"), r.string("window")));
    }

    /** The raw parts of a rate limit; validated into a {@link RateLimit} or an InvalidRateLimit problem. */
    private record RateLimitInput(Optional<Integer> limit, Optional<String> window) {
        RateLimit validated(String id, List<Problem> problems) {
            Duration duration = null;
            if (window.isPresent()) {
                try {
                    duration = Duration.parse(window.get());
                } catch (DateTimeParseException e) {
                    problems.add(Problems.invalid(Reason.InvalidRateLimit, id,
                            "rateLimit.window '" + window.get() + "' is not an ISO-8601 duration such as PT1M"));
                    return null;
                }
            }
            if (limit.isEmpty()) {
                problems.add(Problems.invalid(Reason.InvalidRateLimit, id, "rateLimit.limit is required (1..100)"));
                return null;
            }
            Optional<String> rule = RateLimit.validate(limit.get(), duration);
            if (rule.isPresent()) {
                problems.add(Problems.invalid(Reason.InvalidRateLimit, id, rule.get()));
                return null;
            }
            return new RateLimit(limit.get(), duration);
        }
    }

    private static void throwIf(List<Problem> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(problems);
        }
    }
}
