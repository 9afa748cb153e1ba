package io.udapi.route;

/**
 * Thrown by {@link RouteTable.Builder#add} for a conflicting route. Use
 * {@link RouteTable.Builder#tryAdd} where a conflict is an expected outcome (building from stored data).
 */
public final class RouteConflictException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    // Throwable subclasses cannot be generic, hence the wildcard.
    private final transient RouteConflict<?> conflict;

    public RouteConflictException(RouteConflict<?> conflict) {
        super(conflict.message());
        this.conflict = conflict;
    }

    public RouteConflict<?> conflict() {
        return conflict;
    }
}
