package io.udapi.audit;

import java.time.Instant;
import java.util.Objects;

/** Who created and last changed an object, and when; set by the service, never by the client. */
public record Stamp(String createdBy, Instant createdAt, String lastModifiedBy, Instant lastModified) {

    public Stamp {
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastModifiedBy, "lastModifiedBy");
        Objects.requireNonNull(lastModified, "lastModified");
    }

    public static Stamp created(String user, Instant at) {
        return new Stamp(user, at, user, at);
    }

    public Stamp modified(String user, Instant at) {
        return new Stamp(createdBy, createdAt, user, at);
    }
}
