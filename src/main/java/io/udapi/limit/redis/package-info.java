/**
 * Rate limits of cluster scope on a Valkey/Redis server ({@code udapi.limits.scope=cluster}, docs/concepts.md,
 * "Rate limits").
 *
 * <p><b>Purpose.</b> {@code RedisLimiter} decides one attempt with one server-side script on an exact sliding log
 * per (token, definition), by the rule of {@code io.udapi.limit.SlidingWindowLimiter}; {@code RedisConnections}
 * turns the settings {@code udapi.limits.redis.*} into client options; {@code PipelinedConnection} is the one
 * connection every attempt is pipelined on. {@code io.udapi.config.ClusterLimits} builds them, only in cluster scope,
 * and puts {@code io.udapi.limit.ClusterLimiter} (timeout, fallback, availability) around the limiter.
 *
 * <p><b>Threading model.</b> The trigger path calls in on its event loop; every call is asynchronous (the reactive
 * Vert.x client) and completes on the client's I/O thread; nothing here blocks. The one mutable state is the pipeline's current connection, an atomic reference (its
 * invariant is stated in {@code PipelinedConnection}).
 *
 * <p><b>Error policy.</b> A server error, a lost connection or a reply slower than {@code udapi.limits.cluster-timeout}
 * fails that attempt's stage (a connection that hears nothing for {@code RedisConnections.READ_IDLE_TIMEOUT}, 30 s,
 * is closed and replaced, so a half-dead one does not hold the pipeline until TCP gives up); {@code ClusterLimiter} answers it by the fallback ({@code fail-open-local} or
 * {@code fail-closed}), and the change of availability is logged once, never per request. An invalid URL or pool
 * size stops the start. The password is never logged, and neither is the URL (only its scheme, host and port).
 */
package io.udapi.limit.redis;
