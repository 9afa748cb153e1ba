package io.udapi.bench;

import io.udapi.audit.Stamp;
import io.udapi.definition.ActionMeta;
import io.udapi.definition.ActionType;
import io.udapi.definition.ApiDefinition;
import io.udapi.definition.InputType;
import io.udapi.token.ApiToken;
import io.udapi.token.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Shared test data of the benchmarks: routes of four shapes, request paths that hit them, tokens, definitions. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** Request paths per table; the benchmarks cycle through them so no single path is predicted perfectly. */
    static final int PATHS = 1024;

    private Fixtures() {
    }

    /**
     * Route number {@code i}: four shapes (2, 3 and 4 segments, a leading placeholder), all literals unique
     * per route so that no two routes conflict.
     */
    static String route(int i) {
        return switch (i % 4) {
            case 0 -> "svc" + i + "/items/{id}";
            case 1 -> "svc" + i + "/items/{id}/status";
            case 2 -> "svc" + i + "/orders";
            default -> "{tenant}/svc" + i + "/report";
        };
    }

    /** A request path (after /api/custom/) that matches {@link #route(int)}, some in upper case. */
    static String requestPath(int i, Random random) {
        String svc = (random.nextInt(4) == 0 ? "SVC" : "svc") + i;
        String id = Integer.toString(random.nextInt(1_000_000));
        return switch (i % 4) {
            case 0 -> svc + "/items/" + id;
            case 1 -> svc + "/items/" + id + "/status";
            case 2 -> svc + "/orders";
            default -> "acme" + id + "/" + svc + "/report";
        };
    }

    /** {@link #PATHS} request paths over routes 0..n-1, drawn with a fixed seed. */
    static List<String> requestPaths(int n, long seed) {
        Random random = new Random(seed);
        List<String> paths = new ArrayList<>(PATHS);
        for (int k = 0; k < PATHS; k++) {
            paths.add(requestPath(random.nextInt(n), random));
        }
        return paths;
    }

    static ApiToken token(String id, int tag, RateLimit limit) {
        return new ApiToken(id, "bench-" + id, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo", tag, "abcd",
                false, null, limit, Stamp.created("bench", T0), 1);
    }

    static ApiDefinition definition(int i, Set<String> tokens) {
        return new ApiDefinition("def-" + i, null, null, route(i), tokens, ActionType.AutomationScript,
                new ActionMeta("echo", InputType.RawBody), Stamp.created("bench", T0.plusSeconds(i)), 1);
    }

    /** 40 characters of the secret alphabet, deterministic per index. */
    static String secret(int i) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        Random random = new Random(0x5EC12E7L + i);
        StringBuilder out = new StringBuilder(40);
        for (int k = 0; k < 40; k++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    static final Duration MINUTE = Duration.ofMinutes(1);
}
