/**
 * udapi: user-defined API endpoints. Operators define HTTP APIs (a route plus an action that runs a script),
 * secure them with API tokens and give each token a rate limit per API (docs/concepts.md).
 *
 * <p><b>Purpose.</b> This package holds no classes; it is the map. Packages are organised by feature and
 * depend one way: the model ({@code token}, {@code definition}, {@code user}, {@code audit}) knows nothing of
 * HTTP or storage; {@code store} persists the model; {@code registry} and {@code sync} keep this instance's
 * in-memory copy; {@code trigger} serves {@code /api/custom} from that copy with {@code auth}, {@code route},
 * {@code limit} and {@code script}; {@code manage} is the management API. docs/architecture.md has the full
 * table and the trigger stages; ArchitectureTest keeps the packages free of cycles.
 *
 * <p><b>Threading model.</b> Triggers run on the Vert.x event loops and never wait for the store; blocking work
 * (Argon2, script processes, store writes) runs on worker threads. Each package states its own rules.
 *
 * <p><b>Error policy.</b> Expected outcomes (a refused request, a busy pool, an unknown object) are values;
 * exceptions are for faults. Triggers answer from one rejection table, the management API from one reason
 * table (docs/api.md); no malformed input produces a 500.
 */
package io.udapi;
