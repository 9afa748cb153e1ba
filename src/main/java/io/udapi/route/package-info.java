/**
 * <p><b>Purpose.</b> Routes of user-defined APIs (docs/concepts.md, "Routes"): validating a definition's route, normalising a trigger
 * request's path, and finding the definition a path triggers.
 *
 * <ul>
 *   <li>{@link io.udapi.route.RoutePattern} is a validated route, made by
 *       {@link io.udapi.route.RoutePattern#parse}; its {@code conflictKey()} tells which routes cannot
 *       coexist.</li>
 *   <li>{@link io.udapi.route.RequestPath} is the decoded path after {@code /api/custom/}. Feed it the raw
 *       (still percent-encoded) path, not a normalised one: decoding before splitting would turn
 *       {@code %2F} into a separator.</li>
 *   <li>{@link io.udapi.route.RouteTable} is the lookup structure; its Javadoc states the precedence
 *       rule.</li>
 * </ul>
 *
 * <p><b>Threading.</b> Everything here is immutable and safe to share, except
 * {@link io.udapi.route.RouteTable.Builder}, which is single-threaded. Whoever owns the definitions builds
 * a new table on change and publishes it by atomic swap; trigger handling reads the current table on the
 * event loop without locks. No class here blocks, does I/O or depends on Quarkus.
 *
 * <p><b>Error policy.</b> Bad input is an expected outcome and comes back as a value, never as an exception:
 * an invalid route is a {@link io.udapi.route.RouteParse.Invalid} carrying the broken
 * {@link io.udapi.route.RouteRule} and a message (worded only in {@code RouteRule}); a malformed request
 * path is a {@link io.udapi.route.RequestPath} that matches nothing; an unknown route is an empty
 * {@code Optional}; a conflicting route is a {@link io.udapi.route.RouteConflict} from
 * {@code Builder.tryAdd}. Exceptions ({@code IllegalArgumentException},
 * {@link io.udapi.route.RouteConflictException}) are reserved for programming errors and for the
 * convenience methods meant for trusted input ({@code RoutePattern.of}, {@code Builder.add}).
 */
package io.udapi.route;
