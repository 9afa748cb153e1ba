package io.udapi.manage;

import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import io.udapi.registry.Registry;
import io.udapi.secret.SecretDigester;
import io.udapi.secret.SecretHasher;
import io.udapi.token.TokenName;
import io.udapi.user.AdminUser;
import io.udapi.user.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Basic against the admin users of the store (SPEC 3). A verified password is remembered under a
 * keyed digest of the credentials together with the user's version, so that later calls cost one HMAC
 * instead of one Argon2 run, and any change to the user (new password, new permissions, deletion)
 * invalidates it.
 *
 * <p>Runs on worker threads: resources of the management API are blocking.
 */
@ApplicationScoped
public class AdminAuthenticator {

    /** The cache is cleared when it reaches this many entries; admins are few, so this only stops floods. */
    static final int MAX_CACHED_LOGINS = 10_000;

    private final Registry registry;
    private final SecretHasher hasher;
    private final SecretDigester digester;
    private final Map<Object, CachedLogin> verified = new ConcurrentHashMap<>();
    private volatile String dummyHash;

    AdminAuthenticator(Registry registry, SecretHasher hasher, SecretDigester digester) {
        this.registry = registry;
        this.hasher = hasher;
        this.digester = digester;
    }

    private record CachedLogin(String userId, long version) {
    }

    /** The caller when the credentials are valid and carry {@code permission}; otherwise a 401 or 403. */
    public Caller require(String authorization, Permission permission) {
        Caller caller = authenticate(authorization);
        if (permission != null && !caller.permissions().contains(permission)) {
            throw new ProblemException(Problems.of(Reason.Forbidden, null,
                    "user '" + caller.name() + "' lacks the permission " + permission.wireName()));
        }
        return caller;
    }

    public Caller authenticate(String authorization) {
        Credentials credentials = Credentials.parse(authorization);
        if (credentials == null) {
            throw unauthorized();
        }
        AdminUser user = registry.user(TokenName.key(credentials.name())).orElse(null);
        if (user == null) {
            // pay the same Argon2 cost as for a known user, so response times do not reveal user names
            hasher.matches(credentials.password(), dummyHash());
            throw unauthorized();
        }
        Object key = digester.digest(credentials.name() + '\u0000' + credentials.password());
        CachedLogin cached = verified.get(key);
        if (cached != null && cached.userId().equals(user.id()) && cached.version() == user.version()) {
            return new Caller(user.name(), user.permissions());
        }
        if (!hasher.matches(credentials.password(), user.passwordHash())) {
            throw unauthorized();
        }
        if (verified.size() >= MAX_CACHED_LOGINS) {
            verified.clear();
        }
        verified.put(key, new CachedLogin(user.id(), user.version()));
        return new Caller(user.name(), user.permissions());
    }

    private static ProblemException unauthorized() {
        return new ProblemException(Problems.of(Reason.Unauthorized, null,
                "valid HTTP Basic credentials of an admin user are required"));
    }

    /** A hash of a random password, computed once, to spend Argon2 time on unknown user names. */
    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            hash = hasher.hash(java.util.UUID.randomUUID().toString());
            dummyHash = hash;
        }
        return hash;
    }

    record Credentials(String name, String password) {
        static Credentials parse(String header) {
            if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return null;
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
    }
}
