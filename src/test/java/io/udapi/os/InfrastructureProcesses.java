package io.udapi.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts the processes tests rely on (Elasticsearch, a packaged udapi, helpers) from one thread that
 * lives as long as the JVM, so that udapi's {@link OrphanReaper} never takes them for orphans.
 *
 * <p>Why a thread of its own: a test JVM that runs the process engine is a child subreaper, and the reaper
 * treats every child in the thread-group leader's list that it did not start itself as adopted. Linux
 * hands the children of a thread that ends to the first live thread of the process, which is the leader:
 * a process started by a short-lived thread (a Quarkus test-resource pool, a JUnit timeout thread) lands
 * in the leader's list and is killed by the next sweep. Children of a thread that never ends stay in that
 * thread's list. See docs/security.md, "Script isolation".
 */
public final class InfrastructureProcesses {
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "udapi-test-process-launcher");
        thread.setDaemon(true);
        return thread;
    });

    private InfrastructureProcesses() {
    }

    /** {@link ProcessBuilder#start()} on the launcher thread; the caller may be any thread. */
    public static Process start(ProcessBuilder builder) throws IOException {
        Future<Process> started = LAUNCHER.submit(builder::start);
        try {
            return started.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("could not start " + builder.command(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while starting " + builder.command()));
        }
    }
}
