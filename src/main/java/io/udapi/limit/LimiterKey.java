package io.udapi.limit;

import java.util.Objects;

/**
 * The identity of one limiter: a token on a definition (docs/concepts.md, "Rate limits": one limit per token and definition).
 *
 * @param tokenId the token's id, never null
 * @param definitionId the definition's id, never null
 */
public record LimiterKey(String tokenId, String definitionId) {

    public LimiterKey {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(definitionId, "definitionId");
    }
}
