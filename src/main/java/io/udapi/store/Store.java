package io.udapi.store;

import io.udapi.definition.ApiDefinition;
import io.udapi.token.ApiToken;
import io.udapi.user.AdminUser;
import java.util.List;

/** Where tokens, definitions, admin users and audit events persist; one implementation per backend. */
public interface Store {

    Repository<ApiToken> tokens();

    Repository<ApiDefinition> definitions();

    Repository<AdminUser> users();

    EventLog events();

    /** Atomic reservations of unique keys (token names, route conflict keys) across instances. */
    Claims claims();

    /**
     * Every stored token whose lookup tag (docs/security.md, "Token secrets on the trigger path") is {@code tag}, or whose previous secret's tag is (a
     * rotation overlap, docs/tokens.md, whether or not it has ended: the caller checks that), read from the
     * backend, not from a cache: what the secret-uniqueness check of another instance may not have seen yet. A backend may
     * miss tokens written before it indexed the tag (Elasticsearch documents of older versions); callers
     * add the candidates they already know, re-read by id. The default filters {@link Repository#list()}.
     */
    default List<ApiToken> tokensWithTag(int tag) {
        return tokens().list().stream().filter(t -> t.lookupTag() == tag
                || (t.previousSecret() != null && t.previousSecret().lookupTag() == tag)).toList();
    }

    /** When tokens were last used, apart from the token records (docs/tokens.md, "Usage"). */
    UsageLog usage();

    /** Short backend name for health details and logs, e.g. {@code file}. */
    String kind();
}
