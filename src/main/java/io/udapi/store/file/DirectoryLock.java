package io.udapi.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One process per file-store directory (docs/operations.md, "The file store on disk"): each process keeps its own
 * copy in memory and checks versions against it, so a second udapi on the same directory would overwrite the
 * first one's changes unseen. The lock is a POSIX record lock on {@code <dir>/.lock}, held until the process
 * exits (the kernel drops it on a crash too, so no stale lock needs clearing). Within one JVM the directory may be
 * opened again (a restart of the application in tests, a migration of the store this process serves).
 */
final class DirectoryLock {

    private static final Logger LOG = Logger.getLogger(DirectoryLock.class);
    /** This JVM's locks, never released: the process owns the directory for its whole life. */
    private static final Map<Path, FileLock> HELD = new ConcurrentHashMap<>();

    private DirectoryLock() {
    }

    /** Takes the directory for this process, or refuses when another process has it. */
    static void acquire(Path dir) {
        Path key = dir.toAbsolutePath().normalize();
        HELD.computeIfAbsent(key, DirectoryLock::lock);
    }

    private static FileLock lock(Path dir) {
        Path file = dir.resolve(".lock");
        FileChannel channel = null;
        try {
            DurableFiles.privateDirectory(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("the file store " + dir + " is in use by another process (it holds "
                        + file + "); run one udapi per file-store directory");
            }
            return lock;
        } catch (OverlappingFileLockException sameProcess) {
            return null;   // not expected (the map guards it), and harmless: this process holds the lock already
        } catch (AccessDeniedException e) {
            // a lock file of another user (an earlier run as root): the store still works, unguarded
            LOG.warnf("cannot lock %s (%s); nothing keeps a second udapi off this directory", file, e.getMessage());
            return null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalStateException("cannot lock the file store " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock attempt already failed; this is only clean-up
            }
        }
    }
}
