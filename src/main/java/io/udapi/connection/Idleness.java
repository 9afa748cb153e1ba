package io.udapi.connection;

/**
 * What to do with a watched connection when its timer fires: close it, or look again later. A pure function of
 * its activity and the time, so it is tested in virtual time.
 */
sealed interface Idleness {

    /** No request in flight for the whole timeout: the connection is closed. */
    record Close() implements Idleness {
    }

    /** Busy, or idle for less than the timeout: the timer is set again, to fire in {@code nanos}. */
    record CheckAgain(long nanos) implements Idleness {
        public CheckAgain {
            if (nanos <= 0) {
                throw new IllegalArgumentException("a check must lie ahead, not " + nanos + " ns");
            }
        }
    }

    Close CLOSE = new Close();

    /**
     * @param inFlight    requests of the connection begun and not yet ended
     * @param idleSince   when the last of them ended (meaningful only when {@code inFlight} is 0)
     * @param now         the time source's current reading
     * @param timeout     how long a connection may stay idle, in nanoseconds (positive)
     */
    static Idleness of(int inFlight, long idleSince, long now, long timeout) {
        if (inFlight > 0) {
            // a request in flight may legitimately be silent for a script's whole run: check again one timeout on
            return new CheckAgain(timeout);
        }
        long idle = now - idleSince;
        return idle >= timeout ? CLOSE : new CheckAgain(timeout - idle);
    }
}
