/**
 * Rate limiting per (token, definition): an exact sliding window (docs/concepts.md, "Rate limits").
 *
 * <p><b>Purpose.</b> {@link io.udapi.limit.SlidingWindowLimiter} holds the newest admissions of
 * one key in a lock-free ring and admits a request only if fewer than {@code limit} admissions lie
 * in the preceding window; {@link io.udapi.limit.RateLimiterRegistry} maps keys
 * ({@link io.udapi.limit.LimiterKey}) to limiters and evicts idle ones;
 * {@link io.udapi.limit.Decision} is the answer, with what the {@code Retry-After},
 * {@code RateLimit} and {@code RateLimit-Policy} headers need. Pure Java, no framework types; the
 * HTTP layer supplies limit and window from the token (they may change between calls) and the time
 * from a {@link io.udapi.limit.NanoClock}. {@link io.udapi.limit.Limiter} is the one interface of an attempt,
 * answered by this instance's rings ({@link io.udapi.limit.LocalLimiter}) or by the server of cluster scope
 * ({@code io.udapi.limit.redis}); {@link io.udapi.limit.ClusterLimiter} puts a timeout and a fallback around the
 * latter and tracks whether it answers.
 *
 * <p><b>Threading model.</b> {@code tryAcquire} runs inline on Vert.x event loops, from many
 * threads at once, on the same key or different keys. It never blocks, locks or allocates beyond
 * the returned record (and a new limiter on a key's first request): one compare-and-set per
 * admission, a bounded number of retries. Eviction ({@code evictOnce}) runs concurrently from a
 * scheduler thread and never loses an admission (retire-then-remove, see the registry). The clock
 * is read once per attempt, by the caller, outside the compare-and-set loop.
 *
 * <p><b>Error policy.</b> A denial is a {@code Decision}, never an exception. Exceptions are
 * programming errors only (a null key, a limit outside 1..100, a non-positive window): definitions
 * are validated when stored. When the limiter cannot decide within its retry bound (extreme
 * contention on one key) it fails closed: {@link io.udapi.limit.Decision#failClosed()}, a denial
 * with {@code Retry-After: 1}. It may under-admit in such rare cases; it never over-admits.
 * {@code ClusterLimiter}'s stages never fail: a failed or slow shared limiter is answered by the fallback.
 */
package io.udapi.limit;
