package io.udapi.trigger;

import io.udapi.auth.AuthResult;
import io.udapi.auth.InlineAuth;
import io.udapi.auth.TokenAuthenticator;
import io.udapi.route.Ascii;
import io.udapi.secret.SecretDigest;
import io.udapi.token.SourceRanges;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Auth: {@code Authorization: Bearer <secret>} is present (401/1008) and proves an enabled, unexpired token
 * (401/1010; 503/1100 when every Argon2 slot is taken), used from inside its source ranges (401/1010). Inline on
 * a verified-secret cache hit; Argon2 on its own pool otherwise. Adds the token to the context.
 *
 * <p>The source-range check (docs/tokens.md, "Source ranges") belongs here, after the secret and before the
 * route stage: a token used from outside its ranges is not valid there, so it gets the answer of an unknown
 * secret, and a stolen secret used from elsewhere learns nothing, not even which routes exist; and it is
 * before the limit stage, so it consumes no admission.
 */
final class AuthStage implements Stage {

    private static final Logger LOG = Logger.getLogger(AuthStage.class);

    private final TokenAuthenticator auth;
    private final SourceAddress sources;

    AuthStage(TokenAuthenticator auth, SourceAddress sources) {
        this.auth = auth;
        this.sources = sources;
    }

    @Override
    public Name name() {
        return Name.AUTH;
    }

    @Override
    public Outcome apply(TriggerContext ctx) {
        String secret = bearerSecret(ctx.request().authorization());
        if (secret == null) {
            return ctx.reject(Rejection.AUTHORIZATION_MISSING);
        }
        SecretDigest digest = auth.digest(secret);
        InlineAuth known = auth.tryWithoutArgon2(secret, digest);
        if (known instanceof AuthResult.Authenticated authenticated) {
            SourceRanges ranges = authenticated.token().allowedSourceRanges();
            return ranges == null || fromAllowedSource(sourceOf(ctx), ranges) ? ctx.withAuth(authenticated)
                    : ctx.reject(Rejection.INVALID_TOKEN);
        }
        if (known instanceof InlineAuth.Refused) {
            return ctx.reject(Rejection.INVALID_TOKEN);
        }
        // the address is read here, on the event loop, where the request may be read; the check itself runs
        // where Argon2 completes, on values only
        String source = sourceOf(ctx);
        CompletionStage<Outcome> verified = auth.verify(secret, digest).handle((result, failure) -> {
            if (failure != null) {
                LOG.errorf(failure, "secret verification failed for request %s", ctx.request().requestId());
                return ctx.reject(Rejection.INVALID_TOKEN);
            }
            return proved(ctx, result, source);
        });
        return new Outcome.Await(verified);
    }

    private static Outcome proved(TriggerContext ctx, AuthResult result, String source) {
        if (result instanceof AuthResult.Busy) {
            return ctx.reject(Rejection.AUTHENTICATION_BUSY);
        }
        if (!(result instanceof AuthResult.Authenticated authenticated)) {
            return ctx.reject(Rejection.INVALID_TOKEN);
        }
        SourceRanges ranges = authenticated.token().allowedSourceRanges();
        if (ranges != null && !fromAllowedSource(source, ranges)) {
            return ctx.reject(Rejection.INVALID_TOKEN);
        }
        return ctx.withAuth(authenticated);
    }

    /** The request's source address; null without an HTTP request or when the peer is unknown. */
    private String sourceOf(TriggerContext ctx) {
        return ctx.request().routing() == null ? null : sources.of(ctx.request().http());
    }

    /** Whether the source lies in the token's ranges; an unknown source never does (fail closed). */
    private static boolean fromAllowedSource(String source, SourceRanges ranges) {
        return source != null && ranges.allows(source);
    }

    /**
     * The {@code <secret>} of {@code Bearer <secret>}, or null when the header is absent or of another form.
     * The scheme compares ASCII letters ignoring case only ({@link Ascii}), as RFC 9110 defines it.
     */
    static String bearerSecret(String authorization) {
        if (authorization == null || authorization.length() <= 7 || !Ascii.startsWithIgnoreCase(authorization, "Bearer ")) {
            return null;
        }
        String secret = authorization.substring(7).trim();
        return secret.isEmpty() ? null : secret;
    }
}
