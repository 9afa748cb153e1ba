package io.udapi.manage;

import io.udapi.audit.Stamp;
import io.udapi.definition.ActionMeta;
import io.udapi.definition.ActionType;
import io.udapi.definition.ApiDefinition;
import io.udapi.definition.InputType;
import io.udapi.problem.Problem;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of a create or merge-patch body. {@code scriptName == null} in the result means "missing";
 * the rules run in {@link DefinitionAdmin} once the draft is applied to the current definition.
 */
final class DefinitionDraft {

    static final Set<String> META_FIELDS = Set.of("scriptName", "inputType");
    final JsonBody body;
    final List<Problem> problems = new ArrayList<>();
    Optional<String> name;
    Optional<String> description;
    Optional<String> route;
    Optional<List<String>> allowedTokens;
    Optional<ActionType> actionType = Optional.empty();
    Optional<JsonBody> meta;
    Optional<String> scriptName = Optional.empty();
    Optional<InputType> inputType = Optional.empty();
    boolean explicitInputType;

    private DefinitionDraft(JsonBody body) {
        this.body = body;
    }

    static DefinitionDraft read(JsonBody body, String id) {
        DefinitionDraft d = new DefinitionDraft(body);
        d.name = body.string("name");
        d.description = body.string("description");
        d.route = body.string("route");
        d.allowedTokens = body.strings("allowedTokens");
        d.actionType = body.string("actionType").flatMap(v -> enumOf(body, "actionType", v, ActionType.class));
        d.meta = body.object("actionMeta", META_FIELDS);
        d.meta.ifPresent(m -> {
            d.scriptName = m.string("scriptName");
            d.inputType = m.string("inputType").flatMap(v -> enumOf(body, "actionMeta.inputType", v, InputType.class));
            d.explicitInputType = m.has("inputType") && !m.isNull("inputType");
        });
        if (body.has("allowedTokens") && body.isNull("allowedTokens")) {
            d.problems.add(Problems.malformed("allowedTokens cannot be null; use [] for nobody"));
        }
        if (body.has("actionMeta") && body.isNull("actionMeta")) {
            d.problems.add(Problems.invalid(Reason.InvalidActionMeta, id, "actionMeta cannot be null"));
        }
        return d;
    }

    private static <E extends Enum<E>> Optional<E> enumOf(JsonBody body, String field, String value, Class<E> type) {
        try {
            return Optional.of(Enum.valueOf(type, value));
        } catch (IllegalArgumentException e) {
            body.malformed(field + " '" + value + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
            return Optional.empty();
        }
    }

    /** The definition this draft describes: a new one, or {@code current} with the patch merged in. */
    ApiDefinition apply(String id, ApiDefinition current) {
        boolean creating = current == null;
        String newName = body.has("name") ? name.orElse(null) : creating ? null : current.name();
        String newDescription = body.has("description") ? description.orElse(null)
                : creating ? null : current.description();
        String newRoute = body.has("route") ? route.orElse(null) : creating ? null : current.route();
        Set<String> tokens = allowedTokens.<Set<String>>map(LinkedHashSet::new)
                .orElse(creating ? Set.of() : current.allowedTokens());
        ActionType type = actionType.orElse(creating ? ActionType.AutomationScript : current.actionType());
        String script;
        if (scriptName.isPresent()) {
            script = scriptName.get();
        } else if (creating || meta.isPresent() && meta.get().has("scriptName")) {
            script = null; // missing on create, or cleared by a merge-patch null: refused in validate()
        } else {
            script = current.actionMeta().scriptName();
        }
        InputType input;
        if (type == ActionType.AutomationScriptNoEntryPoint) {
            input = null; // an explicit inputType is refused in validate()
        } else if (explicitInputType) {
            input = inputType.orElse(InputType.RawBody);
        } else if (!creating && current.actionMeta().inputType() != null
                && !(meta.isPresent() && meta.get().has("inputType"))) {
            input = current.actionMeta().inputType();
        } else {
            input = InputType.RawBody;
        }
        if (creating && !body.has("actionMeta")) {
            problems.add(Problems.invalid(Reason.InvalidActionMeta, null, "actionMeta with a scriptName is required"));
        }
        return new ApiDefinition(id, newName, newDescription, newRoute == null ? "" : newRoute, tokens, type,
                new ActionMeta(script == null ? "" : script, input), creating ? placeholderStamp() : current.stamp(),
                creating ? 0 : current.version());
    }

    private static Stamp placeholderStamp() {
        return Stamp.created("-", java.time.Instant.EPOCH);
    }
}
