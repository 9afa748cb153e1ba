/**
 * This instance's trigger counts of the last hour ({@code GET /admin/v1/stats}, docs/api.md, "Trigger statistics").
 *
 * <p><b>Purpose.</b> {@link io.udapi.stats.TriggerStats} counts every trigger answer that names a definition or a
 * token into one-minute buckets per definition and per token ({@link io.udapi.stats.MinuteRing}): admitted,
 * rate-limited, rejected, errors, and a small latency histogram ({@link io.udapi.stats.LatencyBins}) for p50 and
 * p99. {@link io.udapi.stats.StatsView} is the answer. Nothing is stored: the counts are this instance's and
 * start empty.
 *
 * <p><b>Threading model.</b> Recording runs inline on the Vert.x event loops, from many threads at once, and never
 * blocks or locks: a map lookup, one clock reading and a few atomic increments; a new bucket is installed with one
 * compare-and-set, at most once per object per minute. Reading ({@code snapshot}) and eviction ({@code evictOnce},
 * a scheduler thread) run concurrently with recording and never stop it.
 *
 * <p><b>Memory bound.</b> At most 60 buckets per object, objects idle for an hour are dropped, and at most
 * {@code udapi.stats.max-objects} definitions and as many tokens are tracked at once (beyond it a new object is not
 * counted until an idle one is dropped; counted in {@code udapi.stats.untracked}).
 *
 * <p><b>Error policy.</b> Recording cannot fail. In the rare races it cannot win within a bounded number of
 * compare-and-sets, a count is dropped rather than retried without end: statistics may under-count, never block.
 */
package io.udapi.stats;
