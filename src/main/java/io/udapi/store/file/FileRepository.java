package io.udapi.store.file;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.udapi.store.Repository;
import io.udapi.audit.Versioned;
import io.udapi.store.error.DuplicateIdException;
import io.udapi.store.error.ObjectNotFoundException;
import io.udapi.store.error.StoreUnavailableException;
import io.udapi.store.error.VersionConflictException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * One object per file, {@code <dir>/<id>.json}. Reads come from memory; writes go to disk first
 * (write, fsync, rename, fsync the directory) and only then to memory, so an acknowledged write survives
 * {@code kill -9} and a crash mid-write leaves the previous version intact.
 *
 * <p>Threading: reads are lock-free; writes of one repository are serialised by the monitor of this
 * object, which makes the version check and the write one atomic step.
 */
final class FileRepository<T extends Versioned> implements Repository<T> {

    private static final Logger LOG = Logger.getLogger(FileRepository.class);
    /** Ids become file names, so only a safe alphabet is accepted. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final Class<T> type;
    private final ObjectMapper json;
    private final Map<String, T> objects = new ConcurrentHashMap<>();

    FileRepository(Path dir, Class<T> type, ObjectMapper json) {
        this.dir = dir;
        this.type = type;
        this.json = json;
        load();
    }

    private void load() {
        try {
            DurableFiles.privateDirectory(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    String fileName = file.getFileName().toString();
                    if (fileName.contains(".tmp")) {
                        // an interrupted write that was never renamed, hence never acknowledged
                        Files.deleteIfExists(file);
                    } else if (fileName.endsWith(SUFFIX)) {
                        readOne(file);
                    }
                }
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    private void readOne(Path file) {
        try {
            T value = json.readValue(file.toFile(), type);
            objects.put(value.id(), value);
        } catch (IOException e) {
            // one unreadable file must not take the whole store down; it is reported, kept and skipped
            LOG.errorf("skipping unreadable %s: %s", file, e.getMessage());
        }
    }

    @Override
    public List<T> list() {
        return List.copyOf(objects.values());
    }

    @Override
    public Optional<T> find(String id) {
        return Optional.ofNullable(objects.get(id));
    }

    @Override
    public synchronized void create(T value) {
        if (objects.containsKey(value.id())) {
            throw new DuplicateIdException(type.getSimpleName() + " " + value.id() + " exists already");
        }
        write(value);
    }

    @Override
    public synchronized void update(T value) {
        T current = objects.get(value.id());
        if (current == null) {
            throw new ObjectNotFoundException(type.getSimpleName() + " " + value.id() + " does not exist");
        }
        if (current.version() + 1 != value.version()) {
            throw new VersionConflictException(type.getSimpleName() + " " + value.id() + " is at version "
                    + current.version() + ", the update was based on " + (value.version() - 1));
        }
        write(value);
    }

    @Override
    public synchronized void delete(String id, long expectedVersion) {
        T current = objects.get(id);
        if (current == null) {
            throw new ObjectNotFoundException(type.getSimpleName() + " " + id + " does not exist");
        }
        if (current.version() != expectedVersion) {
            throw new VersionConflictException(type.getSimpleName() + " " + id + " is at version "
                    + current.version() + ", not " + expectedVersion);
        }
        try {
            Files.delete(fileOf(id));
            DurableFiles.syncDirectory(dir);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot delete " + id + ": " + e.getMessage(), e);
        }
        objects.remove(id);
    }

    private void write(T value) {
        try {
            DurableFiles.writeAtomically(fileOf(value.id()), json.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot write " + value.id() + ": " + e.getMessage(), e);
        }
        objects.put(value.id(), value);
    }

    private Path fileOf(String id) {
        if (!SAFE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("unsafe id for a file name: " + id);
        }
        return dir.resolve(id + SUFFIX);
    }
}
