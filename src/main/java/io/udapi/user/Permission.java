package io.udapi.user;

import java.util.Arrays;
import java.util.Optional;

/** What an admin user may do; the wire form is the dotted name, e.g. {@code tokens.read}. */
public enum Permission {
    TOKENS_READ("tokens.read"),
    TOKENS_WRITE("tokens.write"),
    TOKENS_DELETE("tokens.delete"),
    DEFINITIONS_READ("definitions.read"),
    DEFINITIONS_WRITE("definitions.write"),
    DEFINITIONS_DELETE("definitions.delete"),
    EVENTS_READ("events.read"),
    USERS_MANAGE("users.manage");

    private final String wireName;

    Permission(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Permission> fromWire(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }
}
