package io.udapi.trigger;

import io.udapi.auth.AuthResult.SecretSlot;
import io.udapi.definition.ApiDefinition;
import io.udapi.token.ApiToken;

/**
 * Sees every answered trigger, once, when its answer is written: the one place where the final outcome is
 * known (the access log, the metrics and the per-minute statistics of {@link TriggerTelemetry}). Every CDI bean of this type is called, in no defined order, on the request's event loop:
 * an observer must not block and must not throw (a throw is logged and the others still run).
 */
public interface TriggerObserver {

    void answered(Answered answer);

    /**
     * One answered trigger.
     *
     * @param errorCode 0 for a script's own answer, else the errorCode of the body
     * @param token null when the auth stage did not pass
     * @param slot which of the token's secrets was presented; null with {@code token}
     * @param definition null when the route stage did not pass
     * @param routeTemplate the matched route's template, null with {@code definition}
     * @param admitted the request passed the limit stage: it counts as admitted whatever its answer
     * @param latencyNanos from the request's arrival to its answer
     */
    record Answered(String requestId, String method, int status, int errorCode, ApiToken token, SecretSlot slot,
                    ApiDefinition definition, String routeTemplate, boolean admitted, long latencyNanos) {
    }
}
