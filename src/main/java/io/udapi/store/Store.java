package io.udapi.store;

import io.udapi.definition.ApiDefinition;
import io.udapi.token.ApiToken;
import io.udapi.user.AdminUser;

/** Where tokens, definitions, admin users and audit events persist; one implementation per backend. */
public interface Store {

    Repository<ApiToken> tokens();

    Repository<ApiDefinition> definitions();

    Repository<AdminUser> users();

    EventLog events();

    /** Atomic reservations of unique keys (token names, route conflict keys) across instances. */
    Claims claims();

    /** Short backend name for health details and logs, e.g. {@code file}. */
    String kind();
}
