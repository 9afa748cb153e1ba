/**
 * The connections of the main port (docs/security.md, "Connections").
 *
 * <p><b>Purpose.</b> {@link io.udapi.connection.KeepAliveTimeout} closes a connection that has had no request in
 * flight for {@code udapi.limits.keep-alive-timeout}, so that idle keep-alive connections (a leaking client pool, or
 * a client that opens many and leaves them) give their place under {@code quarkus.http.limits.max-connections}
 * back within that time rather than after Quarkus's idle timeout of 30 minutes, which a slow script and the event
 * stream need. {@link io.udapi.connection.Idleness} is the decision, a pure function of the connection's activity
 * and the time. {@link io.udapi.connection.CountedFromAccept} serves the plain port as HTTP/1.1 only, so that the
 * connection cap counts a connection from its accept, also one that never completes a request head.
 *
 * <p><b>Threading model.</b> A request is registered on its connection's event loop, and each connection's timer
 * fires there too; the end of a response may be seen on any thread (a blocking resource ends it from a worker) and
 * only writes two fields, in the order the class comment of {@code KeepAliveTimeout} states.
 *
 * <p><b>Error policy.</b> Nothing here fails a request: a connection this Vert.x cannot watch (not a
 * {@code ConnectionBase}) is simply left to the idle timeout. Closing an idle connection races, as in every server,
 * with a request the client sends at that moment; clients retry such a request on a new connection.
 */
package io.udapi.connection;
