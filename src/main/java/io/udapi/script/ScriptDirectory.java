package io.udapi.script;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The scripts directory of the process engine: finds a script's executable without ever leaving the
 * directory (name rule, normalisation, then the real path against the directory's real path, so a
 * symlink pointing outside is refused), and reads its optional {@code <name>.params} file. Blocking file
 * I/O: worker threads only. Stateless and thread-safe.
 */
final class ScriptDirectory {
    private static final Logger LOG = Logger.getLogger(ScriptDirectory.class);
    /** Suffix of the file declaring a Run script's parameters, one name a line. */
    static final String PARAMS_SUFFIX = ".params";

    private final Path dir;

    /** @param dir absolute and normalised */
    ScriptDirectory(Path dir) {
        this.dir = dir;
    }


    /** Either the executable or why there is none. */
    record Resolved(Path path, ScriptResult.Failure failure) {
    }

    /** The executable for {@code name}, which must stay inside the scripts directory (also after symlinks). */
    Resolved resolve(String name) {
        if (ScriptName.validate(name).isPresent()) {
            LOG.warnf("Refusing script name: %s", ScriptName.validate(name).get());
            return new Resolved(null, new ScriptResult.NotFound(name));
        }
        Path candidate = dir.resolve(name).normalize();
        if (!candidate.startsWith(dir) || candidate.equals(dir) || !Files.isRegularFile(candidate)) {
            return new Resolved(null, new ScriptResult.NotFound(name));
        }
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(dir.toRealPath())) {
                LOG.warnf("Script %s is a link to %s, outside %s: refused", name, real, dir);
                return new Resolved(null, new ScriptResult.NotFound(name));
            }
            if (!Files.isExecutable(real)) {
                LOG.warnf("Script %s is not executable", real);
                return new Resolved(null, new ScriptResult.Failed("Script '" + name + "' is not executable."));
            }
            return new Resolved(real, null);
        } catch (IOException e) {
            return new Resolved(null, new ScriptResult.NotFound(name));
        }
    }

    /** Declared parameters absent from {@code params}, or null when none is missing. */
    ScriptResult missingParameters(String name, Map<String, String> params) {
        Path file = dir.resolve(name + PARAMS_SUFFIX);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<String> declared;
        try {
            declared = declaredParameters(file);
        } catch (CharacterCodingException e) {
            LOG.warnf("%s is not UTF-8", file);
            return new ScriptResult.Failed("The parameters file of script '" + name + "' cannot be read.");
        } catch (IOException e) {
            LOG.warnf("%s cannot be read: %s", file, e.getMessage());
            return new ScriptResult.Failed("The parameters file of script '" + name + "' cannot be read.");
        }
        List<String> missing = new ArrayList<>();
        for (String p : declared) {
            if (!params.containsKey(p)) {
                missing.add(p);
            }
        }
        return missing.isEmpty() ? null : new ScriptResult.MissingParameters(missing);
    }

    /** One name a line; surrounding whitespace (and a UTF-8 BOM) dropped, blank lines ignored, duplicates once. */
    static List<String> declaredParameters(Path file) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String n = line.replace("\uFEFF", "").strip();
            if (!n.isEmpty() && !names.contains(n)) {
                names.add(n);
            }
        }
        return names;
    }

    /**
     * The identity of a script file as a worker pool started it (modification time, size and file key): a
     * different stamp later means the file was edited or replaced (docs/workers.md). "unreadable" if it cannot
     * be read.
     */
    static String stamp(Path file) {
        try {
            java.nio.file.attribute.BasicFileAttributes a = java.nio.file.Files.readAttributes(file,
                    java.nio.file.attribute.BasicFileAttributes.class);
            return a.lastModifiedTime() + "/" + a.size() + "/" + a.fileKey();
        } catch (java.io.IOException e) {
            return "unreadable";
        }
    }
}
