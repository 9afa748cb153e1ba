package io.udapi.manage;

import io.udapi.definition.ApiDefinition;
import io.udapi.problem.Problem;
import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import io.udapi.registry.Registry;
import io.udapi.token.ApiToken;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Takes tokens out of service: {@code DELETE} of one, the bulk revoke, and disabling a token whose secret was
 * reported leaked (docs/api.md). A token that a definition allows is never deleted (TokenInUse); disabling is
 * the quick way to block it.
 */
@ApplicationScoped
public class TokenRevocation {

    private final AdminWrites writes;
    private final TokenListing tokens;
    private final Registry registry;

    TokenRevocation(AdminWrites writes, TokenListing tokens, Registry registry) {
        this.writes = writes;
        this.tokens = tokens;
        this.registry = registry;
    }

    void delete(Caller caller, String id, String ifMatch) {
        writes.write(caller, ObjectKind.TOKEN, () -> deletion(id, ifMatch));
    }

    /**
     * Bulk revoke: deletes what it can and reports each id, each deletion a write of its own; an unknown id is
     * {@code notFound}, an in-use token is {@code inUse} with the definitions that allow it, and not deleted.
     */
    List<Map<String, Object>> revoke(Caller caller, List<String> ids) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("id", id);
            try {
                writes.write(caller, ObjectKind.TOKEN, () -> deletion(id, null));
                result.put("status", "deleted");
            } catch (ProblemException refused) {
                // the refusals a DELETE of this id would answer become this id's status, as docs/api.md lists
                Problem problem = refused.problems().get(0);
                if (problem.reason() == Reason.NotFound) {
                    result.put("status", "notFound");
                } else if (problem.reason() == Reason.TokenInUse) {
                    result.put("status", "inUse");
                    result.put("apiDefinitionIdLinks", problem.fields().get("apiDefinitionIdLinks"));
                } else {
                    throw refused;
                }
            }
            results.add(result);
        }
        return results;
    }

    /**
     * Disables the token whose secret was reported leaked, as {@code PATCH isDisabled=true} does, with an event
     * that says why (docs/api.md, "Tokens", leaked secrets).
     *
     * @return {@code "disabled"}, {@code "alreadyDisabled"}, or {@code "unknown"} when the token has gone meanwhile
     */
    String disableLeaked(Caller caller, String id) {
        AtomicReference<String> status = new AtomicReference<>("disabled");
        writes.write(caller, ObjectKind.TOKEN, () -> {
            Optional<ApiToken> current = registry.token(id);
            if (current.isEmpty() || current.get().disabled()) {
                status.set(current.isEmpty() ? "unknown" : "alreadyDisabled");
                return new AdminWrites.Change.Keep<>(current.orElse(null));
            }
            return new AdminWrites.Change.Update<>(current.get(), current.get().withDisabled(true),
                    current.get().name() + ": disabled, its secret was reported leaked");
        });
        return status.get();
    }

    /** The deletion of {@code id}, decided under the write lock: 404, 412, or 409 TokenInUse refuse it. */
    private AdminWrites.Change<ApiToken> deletion(String id, String ifMatch) {
        ApiToken current = tokens.get(id);
        Preconditions.checkIfMatch(ifMatch, current);
        List<String> users = registry.definitions().all().stream()
                .filter(d -> d.allowedTokens().contains(id))
                .map(ApiDefinition::id).sorted().toList();
        if (!users.isEmpty()) {
            throw new ProblemException(Problems.tokenInUse(id, users));
        }
        return new AdminWrites.Change.Delete<>(current);
    }
}
