package io.udapi.definition;

import java.util.Objects;

/**
 * @param scriptName 1..128 of {@code [A-Za-z0-9._-]}, not starting with '.', so it never leaves the
 *                   scripts directory
 * @param inputType  null for {@code AutomationScriptNoEntryPoint}; defaults to RawBody otherwise
 */
public record ActionMeta(String scriptName, InputType inputType) {
    public ActionMeta {
        Objects.requireNonNull(scriptName, "scriptName");
    }
}
