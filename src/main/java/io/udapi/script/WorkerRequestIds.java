package io.udapi.script;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ids of one pool's requests (docs/workers.md): the pool's count, for the log, and 64 random bits, so that a
 * process can answer only the requests it has read. With guessable ids a hostile worker could answer requests
 * still unread in its stdin, freeing their slots while the pipe fills, until a write under the pool's lock blocked
 * ({@link WorkerProcess#INLINE_LINE_BYTES}). Thread-safe.
 */
final class WorkerRequestIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final AtomicLong count = new AtomicLong();

    String next() {
        return count.incrementAndGet() + "-" + Long.toHexString(RANDOM.nextLong());
    }
}
