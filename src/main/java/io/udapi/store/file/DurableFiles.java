package io.udapi.store.file;

import io.udapi.os.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The fsync discipline of the file store, in one place. Everything it creates is its user's alone
 * ({@link PrivateFiles}): token hashes, admin users' password hashes and the audit log are no other local
 * user's business (docs/operations.md, "The file store on disk").
 */
final class DurableFiles {

    private DurableFiles() {
    }

    /**
     * Replaces {@code target} with {@code content} so that after a crash the file holds either the old
     * or the new content, and the new content is on disk once this returns.
     */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        PrivateFiles.replace(target, content);
    }

    /** Appends one record and forces it to disk before returning ({@link PrivateFiles#append}). */
    static void appendDurably(Path file, byte[] record) throws IOException {
        PrivateFiles.append(file, record);
    }

    /** Cuts {@code file} to its first {@code length} bytes and flushes it. */
    static void truncateDurably(Path file, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
            channel.force(true);
        }
    }

    /** A rename or delete is durable only once the directory entry itself is flushed. */
    static void syncDirectory(Path dir) throws IOException {
        PrivateFiles.syncDirectory(dir);
    }

    /** {@link PrivateFiles#privateDirectory}. */
    static void privateDirectory(Path dir) throws IOException {
        PrivateFiles.privateDirectory(dir);
    }
}
