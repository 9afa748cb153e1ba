package io.udapi.store;

import io.udapi.token.TokenUsage;
import java.util.Map;

/**
 * When tokens were last used (docs/tokens.md, "Usage"), kept apart from the versioned token records: a
 * usage write never bumps a token's version, never conflicts with an admin write and creates no audit
 * event. Each instance writes its own rows ({@code node}); a reader merges the rows of every instance
 * with the later time of each field. Blocking; throws StoreUnavailableException in an outage.
 */
public interface UsageLog {

    /** Raises this instance's stored usage of each token to at least the given one; one request for all. */
    void write(String node, Map<String, TokenUsage> usage);

    /** The usage of every token, merged over all instances; tokens never used are absent. */
    Map<String, TokenUsage> readAll();

    /** Drops every instance's usage of a deleted token. */
    void delete(String tokenId);
}
