package io.udapi.manage;

import io.udapi.audit.Stamp;
import io.udapi.definition.ActionType;
import io.udapi.definition.ApiDefinition;
import io.udapi.problem.Problem;
import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import io.udapi.problem.Reason;
import io.udapi.registry.Registry;
import io.udapi.route.RouteParse;
import io.udapi.route.RoutePattern;
import io.udapi.script.ScriptName;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The definition service of {@code /admin/v1/definitions} (docs/concepts.md, "Definitions"; docs/api.md):
 * reads from the registry; a body becomes a {@link DefinitionDraft}, is validated against the current state
 * under the write lock, and is written by {@link AdminWrites}, which also claims the route across instances.
 */
@ApplicationScoped
public class DefinitionAdmin {

    static final Set<String> FIELDS = Set.of("name", "description", "route", "allowedTokens", "actionType", "actionMeta");
    static final int MAX_NAME = 100;
    static final int MAX_DESCRIPTION = 2000;

    private static final Map<String, Comparator<ApiDefinition>> SORTABLE = Map.ofEntries(
            Map.entry("id", Comparator.comparing(ApiDefinition::id)),
            Map.entry("name", ListQuery.nullsLast(ApiDefinition::name)),
            Map.entry("description", ListQuery.nullsLast(ApiDefinition::description)),
            Map.entry("route", Comparator.comparing(d -> d.route().toLowerCase(Locale.ROOT))),
            Map.entry("actionType", Comparator.comparing(ApiDefinition::actionType)),
            Map.entry("scriptName", Comparator.comparing(d -> d.actionMeta().scriptName())),
            Map.entry("createdBy", Comparator.comparing(d -> d.stamp().createdBy())),
            Map.entry("createdAt", Comparator.comparing(d -> d.stamp().createdAt())),
            Map.entry("lastModifiedBy", Comparator.comparing(d -> d.stamp().lastModifiedBy())),
            Map.entry("lastModified", Comparator.comparing(d -> d.stamp().lastModified())),
            Map.entry("version", Comparator.comparingLong(ApiDefinition::version)));

    private final AdminWrites writes;
    private final Registry registry;
    private final Clock clock;

    DefinitionAdmin(AdminWrites writes, Registry registry, Clock clock) {
        this.writes = writes;
        this.registry = registry;
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
        DefinitionDraft draft = DefinitionDraft.read(body, null);
        body.throwIfMalformed();
        String id = UUID.randomUUID().toString();
        ApiDefinition candidate = draft.apply(id, null);
        return writes.write(caller, ObjectKind.DEFINITION, () -> {
            validate(candidate, draft, true).orThrow();
            return new AdminWrites.Change.Create<>(new ApiDefinition(id, candidate.name(), candidate.description(),
                    candidate.route(), candidate.allowedTokens(), candidate.actionType(), candidate.actionMeta(),
                    Stamp.created(caller.name(), clock.instant()), 1));
        });
    }

    public ApiDefinition patch(Caller caller, String id, String ifMatch, JsonBody body) {
        DefinitionDraft draft = DefinitionDraft.read(body, id);
        body.throwIfMalformed();
        return writes.write(caller, ObjectKind.DEFINITION, () -> {
            ApiDefinition current = get(id);
            Preconditions.checkIfMatch(ifMatch, current);
            return AdminWrites.Change.update(current, validate(draft.apply(id, current), draft, false).orThrow());
        });
    }

    public void delete(Caller caller, String id, String ifMatch) {
        writes.write(caller, ObjectKind.DEFINITION, () -> {
            ApiDefinition current = get(id);
            Preconditions.checkIfMatch(ifMatch, current);
            return new AdminWrites.Change.Delete<>(current);
        });
    }

    private static int characters(String s) {
        return s.codePointCount(0, s.length());
    }

    /**
     * Every rule of a definition (docs/concepts.md, "Definitions"), collected so one answer lists every
     * problem; then the route against this instance's definitions ({@link AdminWrites} claims it across
     * instances). Called under the write lock, as it reads the registry.
     */
    private Validated<ApiDefinition> validate(ApiDefinition d, DefinitionDraft draft, boolean creating) {
        String id = creating ? null : d.id();
        List<Problem> problems = new ArrayList<>(draft.problems);
        // lengths in characters, as routes count them: code points, not UTF-16 units (an emoji is one)
        if (d.name() != null && (d.name().isBlank() || characters(d.name()) > MAX_NAME)) {
            problems.add(Problems.invalid(Reason.InvalidName, id,
                    "name must not be blank and has at most " + MAX_NAME + " characters (it has " + characters(d.name()) + ")"));
        }
        if (d.description() != null && characters(d.description()) > MAX_DESCRIPTION) {
            problems.add(Problems.invalid(Reason.InvalidDescription, id, "description has " + characters(d.description())
                    + " characters; at most " + MAX_DESCRIPTION + " are allowed"));
        }
        RoutePattern pattern = null;
        if (d.route().isEmpty()) {
            problems.add(Problems.invalidRoute(id, null, "route is required"));
        } else if (RoutePattern.parse(d.route()) instanceof RouteParse.Invalid invalid) {
            problems.add(Problems.invalidRoute(id, d.route(), invalid.message()));
        } else {
            pattern = RoutePattern.of(d.route());
            pattern.dotSegment().ifPresent(dots -> problems.add(Problems.invalidRoute(id, d.route(), "route '" + d.route()
                    + "' has a '" + dots + "' segment, which no request can reach: request paths are normalised first")));
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
            return Validated.refused(problems);
        }
        return registry.definitions().conflictingWith(pattern).filter(other -> !other.id().equals(d.id()))
                .map(other -> Validated.<ApiDefinition>refused(
                        List.of(Problems.routeInUse(id, d.route(), other.id(), other.route()))))
                .orElse(Validated.valid(d));
    }
}
