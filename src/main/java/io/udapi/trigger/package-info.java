/**
 * {@code /api/custom/{route}}: serving a trigger (docs/architecture.md, "The trigger path").
 *
 * <p><b>Purpose.</b> The handler runs the stages method → URL → auth → route → allow → limit → media → body →
 * parameters → script → response; the first stage that refuses answers. {@code Rejection} is the one table
 * from refusal to status, errorCode and title; {@code ErrorBodies} the error envelope; {@code TriggerInput}
 * the script's input; {@code TriggerTelemetry} the access log and metrics; {@code SourceAddress} the address
 * a token's source ranges are checked against.
 *
 * <p><b>Threading model.</b> Everything runs on the request's Vert.x event loop and never waits for the store:
 * definitions and tokens come from the registry. The two asynchronous steps (Argon2 on a cache miss, the
 * script run) complete elsewhere and hop back to the request's context before the next stage, so the state of
 * one trigger is touched by one thread at a time.
 *
 * <p><b>Error policy.</b> Refusals are values mapped through {@code Rejection}; no malformed input (path,
 * query, headers, body) produces a 500 (docs/fuzzing.md). A fault of the script engine is logged with the
 * request id, never with the secret or the body, and answers the fixed 500 of {@code Rejection.UNEXPECTED}.
 */
package io.udapi.trigger;
