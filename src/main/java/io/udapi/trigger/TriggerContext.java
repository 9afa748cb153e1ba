package io.udapi.trigger;

import io.udapi.auth.AuthResult;
import io.udapi.auth.AuthResult.SecretSlot;
import io.udapi.definition.ApiDefinition;
import io.udapi.limit.Decision;
import io.udapi.route.RequestPath;
import io.udapi.route.RouteMatch;
import io.udapi.script.ScriptResult;
import io.udapi.token.ApiToken;
import java.util.Map;

/**
 * What one trigger has learned so far: the request and what each passed stage added (the path, the token,
 * the route match, the limiter's decision, the body, the parameters, the script's result). Immutable: a stage
 * adds by returning a copy ({@code with...}), which is also its {@link Outcome} "next", so a context can be
 * handed to another thread (Argon2, the script) and back without any guard. Fields a stage has not reached yet
 * are null; each accessor names the stage that sets it.
 */
final class TriggerContext implements Outcome {

    private final TriggerRequest request;
    private final RequestPath path;
    private final AuthResult.Authenticated auth;
    private final RouteMatch<ApiDefinition> match;
    private final Decision decision;
    private final byte[] body;
    private final Map<String, String> parameters;
    private final ScriptResult result;
    private final boolean admitted;
    private final BodyMemory.Share memory;

    private TriggerContext(TriggerRequest request, RequestPath path, AuthResult.Authenticated auth, RouteMatch<ApiDefinition> match,
                           Decision decision, byte[] body, Map<String, String> parameters, ScriptResult result,
                           boolean admitted, BodyMemory.Share memory) {
        this.request = request;
        this.path = path;
        this.auth = auth;
        this.match = match;
        this.decision = decision;
        this.body = body;
        this.parameters = parameters;
        this.result = result;
        this.admitted = admitted;
        this.memory = memory;
    }

    /** A trigger before its first stage. */
    static TriggerContext of(TriggerRequest request) {
        return new TriggerContext(request, null, null, null, null, null, null, null, false, null);
    }

    TriggerRequest request() {
        return request;
    }

    /** Set by the URL stage. */
    RequestPath path() {
        return path;
    }

    /** Set by the auth stage. */
    ApiToken token() {
        return auth == null ? null : auth.token();
    }

    /** Set by the auth stage: which of the token's secrets was presented (usage is recorded per slot). */
    SecretSlot slot() {
        return auth == null ? null : auth.slot();
    }

    /** Set by the route stage. */
    RouteMatch<ApiDefinition> match() {
        return match;
    }

    /** Set by the route stage. */
    ApiDefinition definition() {
        return match == null ? null : match.value();
    }

    /** Set by the limit stage; stays null for a token without a limit (no rate-limit headers then). */
    Decision decision() {
        return decision;
    }

    /**
     * Set by the limit stage: the request passed the rate limit and counts as admitted from here on, whatever
     * its answer (usage and statistics, docs/tokens.md, "Usage"). A 429 is not an admission.
     */
    boolean admitted() {
        return admitted;
    }

    /** Set by the body stage: the whole body, within the limit. */
    byte[] body() {
        return body;
    }

    /** Set by the parameters stage: empty when the definition takes no parameters. */
    Map<String, String> parameters() {
        return parameters;
    }

    /** Set by the script stage. */
    ScriptResult result() {
        return result;
    }

    /** The outcome "passed, nothing learned": the next stage gets this context. */
    Outcome next() {
        return this;
    }

    Outcome.Reject reject(Rejection rejection) {
        return new Outcome.Reject(rejection, null, this);
    }

    Outcome.Reject reject(Rejection rejection, String detail) {
        return new Outcome.Reject(rejection, detail, this);
    }

    TriggerContext withPath(RequestPath path) {
        return new TriggerContext(request, path, auth, match, decision, body, parameters, result, admitted, memory);
    }

    TriggerContext withAuth(AuthResult.Authenticated auth) {
        return new TriggerContext(request, path, auth, match, decision, body, parameters, result, admitted, memory);
    }

    TriggerContext withMatch(RouteMatch<ApiDefinition> match) {
        return new TriggerContext(request, path, auth, match, decision, body, parameters, result, admitted, memory);
    }

    /** The limit stage's answer: its decision (null for a token without a limit) and whether it admitted. */
    TriggerContext withDecision(Decision decision, boolean admitted) {
        return new TriggerContext(request, path, auth, match, decision, body, parameters, result, admitted, memory);
    }

    /** @param memory the share of {@link BodyMemory} that holds the body, for the script stage to add to */
    TriggerContext withBody(byte[] body, BodyMemory.Share memory) {
        return new TriggerContext(request, path, auth, match, decision, body, parameters, result, admitted, memory);
    }

    /** Set by the body stage: this trigger's share of the body memory. */
    BodyMemory.Share memory() {
        return memory;
    }

    TriggerContext withParameters(Map<String, String> parameters) {
        return new TriggerContext(request, path, auth, match, decision, body, parameters, result, admitted, memory);
    }

    TriggerContext withResult(ScriptResult result) {
        return new TriggerContext(request, path, auth, match, decision, body, parameters, result, admitted, memory);
    }
}
