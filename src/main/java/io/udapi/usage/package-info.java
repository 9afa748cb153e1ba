/**
 * Token usage (docs/tokens.md, "Usage"): when each token, and the previous secret of a rotation overlap, was
 * last admitted.
 *
 * <p><b>Purpose.</b> {@link io.udapi.usage.UsageRecorder} keeps the newest admission time per token in memory;
 * {@link io.udapi.usage.UsageFlusher} writes the tokens used since its last flush to the store's usage log in one
 * request per {@code udapi.usage.flush-interval}, and reads every instance's usage back, so that a token view
 * shows the latest time of any instance within flush interval plus sync interval.
 *
 * <p><b>Threading model.</b> The event loop records admissions lock-free into per-token slots
 * ({@code accumulateAndGet(now, Math::max)}: a time only moves forward); the flusher runs on a scheduler thread and the
 * management API reads from worker threads.
 *
 * <p><b>Error policy.</b> Recording cannot fail: it does no I/O. A failed flush keeps the times pending and
 * retries at the next tick; a failed read keeps the last copy, so an outage delays usage but never loses or
 * lowers a time already shown.
 */
package io.udapi.usage;
