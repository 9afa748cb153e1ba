/**
 * Start-up, readiness, migration and shutdown (docs/operations.md).
 *
 * <p><b>Purpose.</b> {@code Startup} makes sure an admin exists, loads the registry and starts the sync loop;
 * {@code CacheReadiness} is the readiness probe (ready once the registry has loaded); {@code FileStoreMigration}
 * copies a file store into Elasticsearch ({@code udapi.migrate.from-file-store}), idempotently;
 * {@code GracefulShutdown} turns SIGTERM into an orderly drain that exits 0.
 *
 * <p><b>Threading model.</b> Start-up work runs once on the main thread or a scheduler thread, never on an
 * event loop; the probe reads a flag.
 *
 * <p><b>Error policy.</b> A store that cannot be reached at start-up does not fail the instance: it stays unready
 * and retries every sync interval. A store outage later never makes it unready (triggers are served from
 * memory). Invalid configuration and a migration that would merge two data sets stop with a clear message.
 */
package io.udapi.lifecycle;
