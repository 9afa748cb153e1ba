package io.udapi.manage;

import io.udapi.auth.TokenAuthenticator;
import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import io.udapi.secret.SecretGenerator;
import io.udapi.secret.SecretRules;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /admin/v1/tokens/leaked} (docs/api.md, "Tokens"), what a secret-scanning service calls with
 * the secrets it found in public code. Each one that authenticates a token disables that token at once.
 *
 * <p>Cost: a string in the {@code udapi_} form with a wrong checksum, one that breaks the secret rules, and
 * one whose lookup tag no token has are {@code unknown} without Argon2. The others take one Argon2 run per
 * token sharing their tag, on the trigger path's Argon2 pool and within its bounds (at most 100 a call);
 * when that pool is full the call answers 503 {@code AuthenticationBusy} and the scanner retries: what was
 * disabled stays disabled, and a retry reports it as {@code alreadyDisabled}.
 */
@ApplicationScoped
public class LeakReports {
    static final int MAX_SECRETS = 100;

    private final TokenAuthenticator authenticator;
    private final TokenRevocation tokens;

    LeakReports(TokenAuthenticator authenticator, TokenRevocation tokens) {
        this.authenticator = authenticator;
        this.tokens = tokens;
    }

    /** One result per secret, in the order given; secrets appear in neither the results, the events nor the log. */
    public List<Map<String, Object>> report(Caller caller, List<String> secrets) {
        if (secrets.isEmpty() || secrets.size() > MAX_SECRETS) {
            throw new ProblemException(Problems.malformed("secrets must hold 1 to " + MAX_SECRETS + " strings"));
        }
        List<Map<String, Object>> results = new ArrayList<>(secrets.size());
        for (int i = 0; i < secrets.size(); i++) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("index", i);
            Optional<String> owner = owner(secrets.get(i));
            if (owner.isEmpty()) {
                result.put("status", "unknown");
            } else {
                String status = tokens.disableLeaked(caller, owner.get());
                result.put("status", status);
                if (!status.equals("unknown")) {
                    result.put("tokenId", owner.get());
                }
            }
            results.add(result);
        }
        return results;
    }

    private Optional<String> owner(String secret) {
        if (secret == null || SecretGenerator.form(secret) == SecretGenerator.Form.BAD_CHECKSUM
                || SecretRules.check(secret).isPresent()) {
            return Optional.empty();
        }
        TokenAuthenticator.Owner owner = authenticator.owner(secret).toCompletableFuture().join();
        if (owner == TokenAuthenticator.Owner.Unanswered.BUSY) {
            throw new ProblemException(Problems.of(Reason.AuthenticationBusy, null,
                    "too many secrets are being verified; retry in a second"));
        }
        return owner instanceof TokenAuthenticator.Owner.Token token ? Optional.of(token.tokenId()) : Optional.empty();
    }
}
