package io.udapi.manage;

import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.audit.Versioned;

/** ETags and {@code If-Match}: the ETag of an object is its version in quotes, a strong validator. */
final class Preconditions {

    private Preconditions() {
    }

    static String etag(Versioned object) {
        return "\"" + object.version() + "\"";
    }

    /** Refuses with 412 when {@code ifMatch} is given and names neither {@code *} nor the current version. */
    static void checkIfMatch(String ifMatch, Versioned current) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        String expected = etag(current);
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(expected)) {
                return;
            }
        }
        throw new ProblemException(Problems.versionMismatch(current.id(), ifMatch.trim(), current.version()));
    }
}
