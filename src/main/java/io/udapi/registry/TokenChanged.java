package io.udapi.registry;

import io.udapi.token.ApiToken;

/**
 * A token was created, changed or deleted on this or another instance. Caches of verified secrets
 * listen to drop what they proved for the old revision.
 *
 * @param before null when created
 * @param after  null when deleted
 */
public record TokenChanged(String tokenId, ApiToken before, ApiToken after) {

    /** Created, re-enabled or given a new secret: a secret that failed before may now succeed. */
    public boolean mayAcceptNewSecrets() {
        if (after == null) {
            return false;
        }
        return before == null
                || (before.disabled() && !after.disabled())
                || !before.secretHash().equals(after.secretHash());
    }
}
