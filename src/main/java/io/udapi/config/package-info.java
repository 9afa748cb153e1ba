/**
 * Configuration and the beans built from it (docs/configuration.md).
 *
 * <p><b>Purpose.</b> {@code UdapiConfig} is the one typed mapping of every {@code udapi.*} property, with its
 * defaults; {@code ClockProducer} gives the one wall clock the service reads; {@code NodeIdentity} names this
 * instance in audit events, stats and claims; {@code SecretBeans} builds the secret hasher, the lookup tagger
 * (from {@code udapi.secrets.pepper}) and the verified-secret caches; {@code ClusterLimits} the rate-limit scope: in
 * {@code cluster} scope the Redis client, the cluster limiter, its metrics and its one log line per change of
 * availability (in {@code instance} scope nothing, and nothing connects).
 *
 * <p><b>Threading model.</b> Everything here is created once at start-up (CDI singletons) and immutable
 * afterwards. Beans that hold keys or {@code SecureRandom} are built at run time, never in static
 * initialisers that a native image would freeze.
 *
 * <p><b>Error policy.</b> Invalid configuration stops the start with a message naming the property (for
 * example a blank pepper with Elasticsearch); nothing here fails later at request time.
 */
package io.udapi.config;
