package io.udapi.script;

import io.udapi.limit.NanoClock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a {@link WorkerPool} needs from its engine (docs/workers.md): starting, killing and sweeping processes
 * with the engine's rules, the threads it lends, and its time source. Implemented by {@link WorkerScripts}; every
 * method may be called from any thread, and only {@link #sweep} blocks (bounded).
 */
interface WorkerHost {
    Process start(String name, Path path) throws IOException;

    void kill(Process process);

    void sweepSoon();

    /** Kills and reaps every adopted process now (blocking, bounded). */
    void sweep();

    ExecutorService io();

    ExecutorService launcher();

    ScheduledExecutorService timer();

    /** The deadlines' time source. */
    NanoClock clock();
}
