package io.udapi.manage;

import io.udapi.audit.AuditEvent.Action;
import io.udapi.audit.AuditEvent.ObjectType;
import io.udapi.audit.Stamp;
import io.udapi.definition.ActionMeta;
import io.udapi.definition.ActionType;
import io.udapi.definition.ApiDefinition;
import io.udapi.definition.InputType;
import io.udapi.problem.Problem;
import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import io.udapi.registry.Registry;
import io.udapi.route.RouteParse;
import io.udapi.route.RoutePattern;
import io.udapi.script.ScriptName;
import io.udapi.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Creates, changes and deletes definitions (SPEC 1.2, 1.3, 3), with the same conventions as
 * {@link TokenAdmin}: reads from the registry, writes to the store then the registry under the lock.
 */
@ApplicationScoped
public class DefinitionAdmin {

    static final Set<String> FIELDS = Set.of("name", "description", "route", "allowedTokens", "actionType", "actionMeta");
    static final Set<String> META_FIELDS = Set.of("scriptName", "inputType");
    static final int MAX_NAME = 100;
    static final int MAX_DESCRIPTION = 2000;

    private static final Map<String, Comparator<ApiDefinition>> SORTABLE = Map.of(
            "id", Comparator.comparing(ApiDefinition::id),
            "name", ListQuery.nullsLast(ApiDefinition::name),
            "route", Comparator.comparing(d -> d.route().toLowerCase(Locale.ROOT)),
            "actionType", Comparator.comparing(ApiDefinition::actionType),
            "scriptName", Comparator.comparing(d -> d.actionMeta().scriptName()),
            "createdBy", Comparator.comparing(d -> d.stamp().createdBy()),
            "createdAt", Comparator.comparing(d -> d.stamp().createdAt()),
            "lastModifiedBy", Comparator.comparing(d -> d.stamp().lastModifiedBy()),
            "lastModified", Comparator.comparing(d -> d.stamp().lastModified()));

    private final Store store;
    private final Registry registry;
    private final AuditTrail audit;
    private final WriteLock writeLock;
    private final Clock clock;
    private final UniqueKeys uniqueKeys;

    DefinitionAdmin(Store store, Registry registry, AuditTrail audit, WriteLock writeLock, Clock clock,
                    UniqueKeys uniqueKeys) {
        this.uniqueKeys = uniqueKeys;
        this.store = store;
        this.registry = registry;
        this.audit = audit;
        this.writeLock = writeLock;
        this.clock = clock;
    }

    public record Filter(String route, String scriptName, String tokenId) {
    }

    public ListQuery.Page<ApiDefinition> list(Filter filter, String sort, String page, String size) {
        ListQuery<ApiDefinition> query = ListQuery.parse(sort, page, size, "route", SORTABLE,
                Comparator.comparing(ApiDefinition::id));
        String routeNeedle = filter.route() == null ? null : filter.route().toLowerCase(Locale.ROOT);
        List<ApiDefinition> matching = registry.definitions().all().stream()
                .filter(d -> routeNeedle == null || d.route().toLowerCase(Locale.ROOT).contains(routeNeedle))
                .filter(d -> filter.scriptName() == null || d.actionMeta().scriptName().equals(filter.scriptName()))
                .filter(d -> filter.tokenId() == null || d.allowedTokens().contains(filter.tokenId()))
                .toList();
        return query.apply(matching);
    }

    public ApiDefinition get(String id) {
        return registry.definitions().get(id).orElseThrow(() -> new ProblemException(Problems.notFound("definition", id)));
    }

    public ApiDefinition create(Caller caller, JsonBody body) {
        Draft draft = Draft.read(body, null);
        body.throwIfMalformed();
        String id = UUID.randomUUID().toString();
        ApiDefinition candidate = draft.apply(id, null);
        return writeLock.call(() -> {
            validate(candidate, draft, true);
            ApiDefinition created = new ApiDefinition(id, candidate.name(), candidate.description(), candidate.route(),
                    candidate.allowedTokens(), candidate.actionType(), candidate.actionMeta(),
                    Stamp.created(caller.name(), clock.instant()), 1);
            String key = conflictKey(created.route());
            claimRoute(null, id, created.route());
            try {
                store.definitions().create(created);
            } catch (RuntimeException e) {
                uniqueKeys.release(UniqueKeys.ROUTE, key, id);
                throw e;
            }
            registry.putDefinition(created);
            audit.record(caller.name(), Action.created, ObjectType.definition, id, created.route());
            return created;
        });
    }

    public ApiDefinition patch(Caller caller, String id, String ifMatch, JsonBody body) {
        Draft draft = Draft.read(body, id);
        body.throwIfMalformed();
        return writeLock.call(() -> {
            ApiDefinition current = get(id);
            Preconditions.checkIfMatch(ifMatch, current);
            ApiDefinition changed = draft.apply(id, current);
            validate(changed, draft, false);
            if (changed.equals(current)) {
                return current;
            }
            ApiDefinition next = changed.next(caller.name(), clock.instant());
            String oldKey = conflictKey(current.route());
            String newKey = conflictKey(next.route());
            boolean moved = !oldKey.equals(newKey);
            if (moved) {
                claimRoute(id, id, next.route());
            }
            try {
                store.definitions().update(next);
            } catch (RuntimeException e) {
                if (moved) {
                    uniqueKeys.release(UniqueKeys.ROUTE, newKey, id);
                }
                throw e;
            }
            if (moved) {
                uniqueKeys.release(UniqueKeys.ROUTE, oldKey, id);
            }
            registry.putDefinition(next);
            audit.record(caller.name(), Action.updated, ObjectType.definition, id, next.route());
            return next;
        });
    }

    public void delete(Caller caller, String id, String ifMatch) {
        writeLock.run(() -> {
            ApiDefinition current = get(id);
            Preconditions.checkIfMatch(ifMatch, current);
            store.definitions().delete(id, current.version());
            registry.removeDefinition(id);
            uniqueKeys.release(UniqueKeys.ROUTE, conflictKey(current.route()), id);
            audit.record(caller.name(), Action.deleted, ObjectType.definition, id, current.route());
        });
    }

    private static String conflictKey(String route) {
        return RoutePattern.of(route).conflictKey();
    }

    /**
     * The cross-instance half of the route check: reserves the route's conflict key for
     * {@code definitionId}. A holder that is another definition still on a conflicting route keeps it
     * (RouteInUse naming that definition, like the in-memory check).
     */
    private void claimRoute(String problemId, String definitionId, String route) {
        String key = conflictKey(route);
        uniqueKeys.acquire(UniqueKeys.ROUTE, key, definitionId,
                holder -> store.definitions().find(holder).filter(d -> conflictKey(d.route()).equals(key)).isPresent())
                .ifPresent(holder -> {
                    String holderRoute = registry.definitions().get(holder).map(ApiDefinition::route)
                            .or(() -> store.definitions().find(holder).map(ApiDefinition::route))
                            .orElse(route);
                    throw new ProblemException(Problems.routeInUse(problemId, route, holder, holderRoute));
                });
    }

    /** Every rule of SPEC 1.2 and 1.3, collected so one answer lists every problem. */
    private void validate(ApiDefinition d, Draft draft, boolean creating) {
        String id = creating ? null : d.id();
        List<Problem> problems = new ArrayList<>(draft.problems);
        if (d.name() != null && (d.name().isBlank() || d.name().length() > MAX_NAME)) {
            problems.add(Problems.invalid(Reason.InvalidName, id,
                    "name must not be blank and has at most " + MAX_NAME + " characters (it has " + d.name().length() + ")"));
        }
        if (d.description() != null && d.description().length() > MAX_DESCRIPTION) {
            problems.add(Problems.invalid(Reason.InvalidDescription, id, "description has " + d.description().length()
                    + " characters; at most " + MAX_DESCRIPTION + " are allowed"));
        }
        RoutePattern pattern = null;
        if (d.route().isEmpty()) {
            problems.add(Problems.invalidRoute(id, null, "route is required"));
        } else if (RoutePattern.parse(d.route()) instanceof RouteParse.Invalid invalid) {
            problems.add(Problems.invalidRoute(id, d.route(), invalid.message()));
        } else {
            pattern = RoutePattern.of(d.route());
        }
        if (d.actionMeta().scriptName().isEmpty()) {
            problems.add(Problems.invalid(Reason.InvalidActionMeta, id, "actionMeta.scriptName is required"));
        } else {
            ScriptName.validate(d.actionMeta().scriptName())
                    .ifPresent(m -> problems.add(Problems.invalid(Reason.InvalidActionMeta, id, m)));
        }
        if (d.actionType() == ActionType.AutomationScriptNoEntryPoint && draft.explicitInputType) {
            problems.add(Problems.invalid(Reason.InvalidActionMeta, id,
                    "actionMeta.inputType applies to AutomationScript only, not to AutomationScriptNoEntryPoint"));
        }
        List<String> unknown = d.allowedTokens().stream().filter(t -> registry.token(t).isEmpty()).sorted().toList();
        if (!unknown.isEmpty()) {
            problems.add(Problems.unknownTokens(id, unknown));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(problems);
        }
        registry.definitions().conflictingWith(pattern).filter(other -> !other.id().equals(d.id())).ifPresent(other -> {
            throw new ProblemException(Problems.routeInUse(id, d.route(), other.id(), other.route()));
        });
    }

    /**
     * The fields of a create or merge-patch body. {@code scriptName == null} in the result means "missing";
     * the rules run in {@link #validate} once the draft is applied to the current definition.
     */
    private static final class Draft {
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

        private Draft(JsonBody body) {
            this.body = body;
        }

        static Draft read(JsonBody body, String id) {
            Draft d = new Draft(body);
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
}
