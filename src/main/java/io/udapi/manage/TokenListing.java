package io.udapi.manage;

import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.registry.Registry;
import io.udapi.token.ApiToken;
import io.udapi.token.TokenName;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The reads of tokens: from the registry, so they keep working while the store is down (docs/api.md). */
@ApplicationScoped
public class TokenListing {

    private static final Map<String, Comparator<ApiToken>> SORTABLE = Map.of(
            "id", Comparator.comparing(ApiToken::id),
            "name", Comparator.comparing(t -> TokenName.key(t.name())),
            "isDisabled", Comparator.comparing(ApiToken::disabled),
            "expiresAt", ListQuery.nullsLast(ApiToken::expiresAt),
            "createdBy", Comparator.comparing(t -> t.stamp().createdBy()),
            "createdAt", Comparator.comparing(t -> t.stamp().createdAt()),
            "lastModifiedBy", Comparator.comparing(t -> t.stamp().lastModifiedBy()),
            "lastModified", Comparator.comparing(t -> t.stamp().lastModified()),
            "version", Comparator.comparingLong(ApiToken::version),
            "secretHint", Comparator.comparing(ApiToken::secretHint));

    private final Registry registry;
    private final Clock clock;

    TokenListing(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    ListQuery.Page<ApiToken> list(TokenAdmin.Filter filter, String sort, String page, String size) {
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

    ApiToken get(String id) {
        return registry.token(id).orElseThrow(() -> new ProblemException(Problems.notFound("token", id)));
    }
}
