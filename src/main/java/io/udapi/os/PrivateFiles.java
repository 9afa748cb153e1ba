package io.udapi.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Files and directories that are udapi's user's alone: directories {@code rwx------}, files {@code rw-------}
 * from the moment they are created (an attribute of the call that creates them, so there is no window in
 * which another user could open them). The file store and the generated pepper use them (docs/security.md,
 * "The file store on disk"). Non-POSIX file systems keep their own rules.
 */
public final class PrivateFiles {

    private static final Logger LOG = Logger.getLogger(PrivateFiles.class);
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {
    }

    /**
     * Creates {@code dir} (and missing parents: those get the process's default mode) as {@code rwx------}, or
     * takes group and others' access away from an existing one, which an older udapi created with the umask's
     * mode. Non-POSIX file systems keep their own rules.
     */
    public static void privateDirectory(Path dir) throws IOException {
        if (!posix(dir)) {
            Files.createDirectories(dir);
            return;
        }
        if (Files.notExists(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made meanwhile (another store part of this process): its mode is checked below
            }
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
        if (mode.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            Set<PosixFilePermission> owner = EnumSet.copyOf(mode);
            owner.removeAll(GROUP_OR_OTHERS);
            try {
                Files.setPosixFilePermissions(dir, owner);
            } catch (java.nio.file.FileSystemException notOurs) {
                // another user's directory (a volume mounted for udapi's group): usable, but not ours to close
                LOG.warnf("%s is open to other users (%s) and udapi cannot change that (%s); restrict it, or point "
                        + "udapi at a directory of its own", dir, PosixFilePermissions.toString(mode), notOurs.getMessage());
                return;
            }
            LOG.infof("%s was open to other users (%s); now only udapi's user has access (%s)", dir,
                    PosixFilePermissions.toString(mode), PosixFilePermissions.toString(owner));
        }
    }

    /** The mode of a file the store creates, as an attribute of the open that creates it. */
    public static FileAttribute<?>[] ownerOnly(Path file) {
        return posix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)} : new FileAttribute<?>[0];
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * Writes {@code content} to {@code target} only when {@code target} does not exist: a complete,
     * forced temporary file is hard-linked into place ({@code link} refuses an existing name, where a rename
     * would replace it).
     *
     * @return whether this call created {@code target}
     */
    public static boolean createOnce(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        privateDirectory(dir);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            writeNew(tmp, content);
            try {
                Files.createLink(target, tmp);
            } catch (java.nio.file.FileAlreadyExistsException first) {
                return false;
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException noHardLinks) {
                // a file system without hard links: a rename that refuses an existing target (checked, not atomic)
                try {
                    Files.move(tmp, target);
                } catch (java.nio.file.FileAlreadyExistsException first) {
                    return false;
                }
            }
            syncDirectory(dir);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Replaces {@code target} with {@code content} so that after a crash the file holds either the old or the new
     * content, owner-only, and the new content is on disk once this returns.
     */
    public static void replace(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            writeNew(tmp, content);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(target.toAbsolutePath().getParent());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Creates {@code file} owner-only with {@code content}, forced to disk; refuses an existing file. */
    public static void writeNew(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                ownerOnly(file))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /**
     * Appends one record (creating the file owner-only) and forces it to disk before returning; a record the
     * write could not complete is cut off again. The caller is the file's only writer.
     */
    public static void append(Path file, byte[] record) throws IOException {
        // one writer per file (callers hold its lock), so the end read here stays the end until the write
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                ownerOnly(file))) {
            long end = channel.size();
            try {
                ByteBuffer buffer = ByteBuffer.wrap(record);
                channel.position(end);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            } catch (IOException failed) {
                // a partial record (disk full, an I/O error) is cut off, so the next append starts a clean line
                try {
                    channel.truncate(end);
                    channel.force(true);
                } catch (IOException alsoFailed) {
                    failed.addSuppressed(alsoFailed);
                }
                throw failed;
            }
        }
    }

    /** A new, renamed or deleted name is durable only once the directory entry itself is flushed. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
