package io.udapi.sync;

import java.time.Duration;
import java.time.Instant;

/**
 * What the sync loop last achieved; immutable, replaced after every attempt.
 *
 * @param state       see {@link State}
 * @param loaded      the registry holds a full load (readiness is UP from then on, whatever the store does)
 * @param lastSuccess end of the last successful load or poll; null before the first
 * @param lastError   message of the last failed attempt while {@code state == STORE_DOWN}, else null
 * @param cursor      change-feed position applied so far (backend-specific, for diagnostics)
 */
public record SyncStatus(State state, boolean loaded, Instant lastSuccess, String lastError, long cursor) {

    /**
     * <ul>
     *   <li>{@code LOADING}: the first full load has not succeeded yet (the store may be down); not ready.</li>
     *   <li>{@code IN_SYNC}: the last attempt succeeded; changes made elsewhere arrive within one interval.</li>
     *   <li>{@code STORE_DOWN}: loaded, but the last attempt could not reach the store; the instance serves
     *       its in-memory copy and the loop retries every interval.</li>
     * </ul>
     */
    public enum State { LOADING, IN_SYNC, STORE_DOWN }

    static SyncStatus starting() {
        return new SyncStatus(State.LOADING, false, null, null, -1);
    }

    /** Whether the store answered the last attempt. */
    public boolean storeUp() {
        return lastError == null;
    }

    /** Time since the last success ({@code since} when there was none yet), never negative. */
    public Duration lag(Instant now, Instant since) {
        Instant from = lastSuccess == null ? since : lastSuccess;
        Duration lag = Duration.between(from, now);
        return lag.isNegative() ? Duration.ZERO : lag;
    }
}
