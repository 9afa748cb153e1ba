/**
 * The embedded file store: one directory, for a single instance with no set-up (docs/operations.md).
 *
 * <p><b>Purpose.</b> {@code FileStore} implements {@code Store} over {@code tokens/}, {@code definitions/},
 * {@code users/} (one JSON file per object, {@code FileRepository}), {@code events.jsonl}
 * ({@code FileEventLog}) and in-memory claims ({@code FileClaims}). {@code DurableFiles} is the fsync discipline.
 *
 * <p><b>Threading model.</b> Reads come from memory and are lock-free; the writes of one repository are
 * serialised by its monitor, which makes the version check and the write one step.
 *
 * <p><b>Error policy.</b> A write is acknowledged only after write, fsync, rename and fsync of the directory,
 * so it survives {@code kill -9}; a crash mid-write leaves the previous version. I/O failures become
 * {@code store.error} exceptions; a torn last event line is cut off on load; an unreadable object file is logged at
 * ERROR with its path, kept on disk and skipped, so one bad file does not take the store down. A directory another
 * process holds ({@code DirectoryLock}) is refused with an {@code IllegalStateException}: the start fails.
 */
package io.udapi.store.file;
