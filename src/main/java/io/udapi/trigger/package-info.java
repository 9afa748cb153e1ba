/**
 * {@code /api/custom/{route}}: serving a trigger (docs/architecture.md, "The trigger path").
 *
 * <p><b>Purpose.</b> {@code TriggerHandler} declares the stages method → URL → auth → route → allow → limit → media →
 * body → parameters → script → response, one small class each ({@code MethodStage} ... {@code ScriptStage}, and
 * {@code TriggerResponses} as the response); {@code TriggerPipeline} runs them, checks their order at start-up, and
 * the first stage that refuses answers. Each stage reads an immutable {@code TriggerContext} and answers an
 * {@code Outcome} (next, reject, await). {@code TriggerObserver} beans see every answered trigger once. {@code Rejection} is the one table
 * from refusal to status, errorCode and title; {@code ErrorBodies} the error envelope; {@code TriggerInput}
 * the script's input; {@code TriggerTelemetry} the access log and metrics; {@code SourceAddress} the address
 * a token's source ranges are checked against.
 *
 * <p><b>Threading model.</b> Everything runs on the request's Vert.x event loop and never waits for the store:
 * definitions and tokens come from the registry. The asynchronous stages (Argon2 on a cache miss, the body, the
 * script run) answer an {@code Await}; the pipeline resumes on the request's context before the next stage, so the
 * stages of one trigger run one at a time. The context is immutable, so it may cross threads without a guard.
 *
 * <p><b>Error policy.</b> Refusals are values mapped through {@code Rejection}; no malformed input (path,
 * query, headers, body) produces a 500 (docs/fuzzing.md). A fault of the script engine is logged with the
 * request id, never with the secret or the body, and answers the fixed 500 of {@code Rejection.UNEXPECTED}.
 */
package io.udapi.trigger;
