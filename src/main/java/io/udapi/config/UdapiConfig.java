package io.udapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Every udapi tunable, with the names docs/configuration.md lists. Each property can also be set by environment
 * variable ({@code udapi.scripts.dir} is {@code UDAPI_SCRIPTS_DIR}).
 */
@ConfigMapping(prefix = "udapi")
public interface UdapiConfig {

    /** {@code faultingNode} of error bodies and {@code context.nodeId} of scripts; default: the host name. */
    @WithName("node-id")
    Optional<String> nodeId();

    /** Which store holds tokens, definitions, users and events. */
    @WithDefault("file")
    StoreKind store();

    @WithName("file-store")
    FileStore fileStore();

    Elasticsearch elasticsearch();

    Sync sync();

    Secrets secrets();

    /** Which engine runs the scripts of definitions. */
    @WithName("script-engine")
    @WithDefault("process")
    EngineKind scriptEngine();

    Scripts scripts();

    @WithName("http-engine")
    HttpEngine httpEngine();

    Script script();

    /** Worker scripts of the process engine. */
    Workers workers();

    @WithName("access-log")
    AccessLog accessLog();

    Limits limits();

    /**
     * CIDR blocks of the reverse proxies whose {@code X-Forwarded-For} is believed (docs/tokens.md,
     * "Source ranges"); default none: the TCP peer is the source address of every trigger. At most 100
     * blocks, as in a token's {@code allowedSourceRanges}; an invalid one stops the start.
     */
    @WithName("trusted-proxies")
    Optional<List<String>> trustedProxies();

    Admin admin();

    Migrate migrate();

    Usage usage();

    Stats stats();

    /** First-start password of {@code admin} (env {@code UDAPI_ADMIN_PASSWORD}); random and logged once when absent. */
    @WithName("admin-password")
    Optional<String> adminPassword();

    enum StoreKind { file, elasticsearch }

    enum EngineKind { process, http }

    interface FileStore {
        /** Directory of the embedded store; created when missing. */
        @WithDefault("./data")
        Path dir();
    }

    interface Elasticsearch {
        /** Prefix of the four indices ({@code <prefix>tokens}, ...). */
        @WithName("index-prefix")
        @WithDefault("udapi-")
        String indexPrefix();
    }

    interface Sync {
        /** How often an instance looks for changes made by other instances. */
        @WithDefault("1s")
        Duration interval();

        /**
         * How often the sync loop also lists everything and applies what the change feed missed (an
         * audit event whose append failed after its write). 1 min..1 day is sensible.
         */
        @WithName("full-reload-interval")
        @WithDefault("10m")
        Duration fullReloadInterval();

        /**
         * Pushed changes (docs/architecture.md, "Pushed changes"): {@code auto} (the default) announces every write
         * on the Valkey/Redis server of {@code udapi.limits.redis.*} when {@code udapi.limits.scope=cluster} and not
         * otherwise, {@code redis} always does, {@code off} never does. The sync loop stays the safety net.
         */
        @WithDefault("auto")
        PushMode push();

        /** The Redis channel of pushed changes; instances that share it apply each other's writes at once. */
        @WithName("push-channel")
        @WithDefault("udapi:changes")
        String pushChannel();
    }

    /** Whether writes are announced to the other instances over Redis. */
    enum PushMode {
        /** On Redis when the rate limits are of cluster scope (Redis is configured), else off. */
        AUTO,
        /** On the Redis server of {@code udapi.limits.redis.*}, whatever the rate-limit scope. */
        REDIS,
        /** Never: other instances see changes through the sync loop only. */
        OFF
    }

    interface Secrets {
        /**
         * Key of the lookup tag (docs/security.md, "Token secrets on the trigger path"); the same on every instance and never stored with the data.
         * With the file store and no pepper, one is generated into the data directory's parent-free
         * file {@code <dir>/pepper} (docs/configuration.md).
         */
        Optional<String> pepper();

        /** Concurrent Argon2 verifications of uncached secrets. */
        @WithName("max-verifications")
        @WithDefault("2")
        int maxVerifications();

        /** Verifications that may wait for a slot before a trigger answers 503/1100. */
        @WithName("verification-queue")
        @WithDefault("64")
        int verificationQueue();

        /** How long a secret that failed verification is remembered as bad. */
        @WithName("negative-ttl")
        @WithDefault("10s")
        Duration negativeTtl();
    }

    interface Scripts {
        /** Directory of the process engine's executables. */
        @WithDefault("./scripts")
        Path dir();

        /** The file-system confinement of script processes (docs/security.md, "Script isolation"). */
        Sandbox sandbox();

        /** How script processes compete with udapi for CPU and memory (docs/security.md, "What a confined script can still do"). */
        Priority priority();
    }

    interface Priority {
        /** Steps below udapi's scheduling priority that script processes run at: added to udapi's nice value, 0..19 (0: udapi's own). */
        @WithDefault("10")
        int nice();

        /** {@code oom_score_adj} of script processes, 0..1000 (1000: the kernel's first choice when memory runs out; 0: udapi's own). */
        @WithName("oom-score-adj")
        @WithDefault("1000")
        int oomScoreAdj();
    }

    /**
     * {@code auto} (the default): confine where the kernel can; {@code required}: refuse to start where it
     * cannot; {@code off}: never (docs/security.md, "Script isolation").
     */
    enum SandboxMode { auto, required, off }

    interface Sandbox {
        @WithDefault("auto")
        SandboxMode mode();

        /** Where scripts may execute, read files and list directories (the scripts directory always). */
        @WithName("read-paths")
        @WithDefault("/bin,/sbin,/usr,/lib,/lib32,/lib64,/libx32,/etc,/proc,/sys")
        List<Path> readPaths();

        /** Where scripts may also create, write and remove (the {@code TMPDIR} they inherit always). */
        @WithName("write-paths")
        @WithDefault("/tmp,/dev")
        List<Path> writePaths();

        /**
         * The only TCP ports scripts may connect to (Landlock ABI 4, Linux 6.7), e.g. {@code 443}; {@code 0} refuses
         * every TCP connection. Unset (the default): the network is not restricted.
         */
        @WithName("tcp-connect-ports")
        Optional<List<Integer>> tcpConnectPorts();
    }

    interface HttpEngine {
        /** Base URL of the http engine, e.g. {@code http://localhost:7070}. */
        Optional<String> url();

        @WithName("max-connections")
        @WithDefault("64")
        int maxConnections();
    }

    interface Script {
        /** A script run longer than this is killed (process) or abandoned (http): 500/1001. */
        @WithDefault("90s")
        Duration timeout();

        /** Concurrent script runs; default max(4, cores) for process, 512 for http. */
        @WithName("max-concurrency")
        OptionalInt maxConcurrency();

        /** Runs that may wait for a slot; beyond it triggers answer 503/1006. */
        @WithName("max-queue")
        @WithDefault("1000")
        int maxQueue();
    }

    /** Worker scripts of the process engine (docs/workers.md); a {@code <script>.worker} file overrides them. */
    interface Workers {
        /** Processes of a worker script kept running even when idle. */
        @WithDefault("1")
        int min();

        /** Processes of a worker script at most; default max(2, cores). */
        OptionalInt max();

        /** Requests one process serves before it is replaced; 0: never. */
        @WithName("max-requests")
        @WithDefault("10000")
        long maxRequests();
    }

    interface AccessLog {
        @WithDefault("true")
        boolean enabled();
    }

    /** {@code udapi.audit.*}. */
    Audit audit();

    interface Audit {
        /**
         * Where audit events the store could not take are kept until it takes them, so that a crash during an
         * outage loses none (docs/operations.md, "Audit events during an outage"); default
         * {@code <file-store.dir>/audit-outbox.jsonl}.
         */
        Optional<Path> outbox();
    }

    interface Limits {
        /** Request and response body limit, e.g. {@code 29M}. */
        @WithName("max-body-size")
        @WithDefault("29M")
        String maxBodySize();

        /**
         * Bytes of trigger bodies and script inputs held in memory at once, across every trigger, e.g. {@code 512M};
         * beyond it a trigger answers 503/1006. Default: a quarter of the maximum heap, at least twice
         * {@link #maxBodySize()}.
         */
        @WithName("max-body-memory")
        Optional<String> maxBodyMemory();

        /**
         * How long a trigger's body may take to arrive once udapi starts reading it (after the checks before the
         * body stage): slower answers 408/1 and closes the connection, so a client trickling a large body cannot
         * hold a connection and an admission for long.
         */
        @WithName("body-timeout")
        @WithDefault("30s")
        Duration bodyTimeout();

        /**
         * How long a connection of the main port may stay open with no request in flight before udapi closes it
         * (docs/security.md, "Connections"); {@code 0s} leaves it to Quarkus's idle timeout. Above the 60 s that
         * proxies and load balancers keep idle upstream connections, so they always close first.
         */
        @WithName("keep-alive-timeout")
        @WithDefault("75s")
        Duration keepAliveTimeout();

        @WithName("max-query-length")
        @WithDefault("2048")
        int maxQueryLength();

        @WithName("max-url-length")
        @WithDefault("2048")
        int maxUrlLength();

        /** How often idle rate-limit state is dropped (read by the scheduler in TriggerRoutes). */
        @WithName("eviction-interval")
        @WithDefault("10s")
        Duration evictionInterval();

        /**
         * Where rate-limit counts live (docs/concepts.md, "Rate limits"): {@code instance}, in this instance's
         * memory (nothing about Redis is touched), or {@code cluster}, in one Valkey/Redis server shared by every
         * instance ({@link #redis()}).
         */
        @WithDefault("instance")
        LimitScope scope();

        /**
         * With {@code cluster}: how long a trigger waits for the server's decision (1 ms..10 s sensible); a slower
         * reply counts as a failure of the server for that request ({@link #clusterFailure()}).
         */
        @WithName("cluster-timeout")
        @WithDefault("50ms")
        Duration clusterTimeout();

        /** With {@code cluster}: what a trigger gets when the server fails or is slower than the timeout. */
        @WithName("cluster-failure")
        @WithDefault("fail-open-local")
        ClusterFailure clusterFailure();

        /**
         * With {@code cluster}: after a failure, how long triggers are decided by the fallback without asking the
         * server; then the next triggers ask it again, so cluster decisions resume on their own.
         */
        @WithName("cluster-retry-interval")
        @WithDefault("1s")
        Duration clusterRetryInterval();

        /** The Valkey/Redis server of {@code cluster} scope; unused (never connected) with {@code instance}. */
        Redis redis();
    }

    /** Where rate-limit counts live. */
    enum LimitScope {
        /** This instance's memory: each instance counts on its own (the default). */
        INSTANCE,
        /** One Valkey/Redis server for every instance: the limit holds across the cluster. */
        CLUSTER
    }

    /** The answer of a cluster-scope trigger whose server fails or is too slow. */
    enum ClusterFailure {
        /** Decide on this instance's own counts for that request (as {@code instance} scope does). */
        FAIL_OPEN_LOCAL,
        /** Refuse the request: 503 with errorCode 1006. */
        FAIL_CLOSED
    }

    /** The server that holds the rate-limit counts of {@code cluster} scope. */
    interface Redis {
        /**
         * {@code redis://host:port} or, for TLS, {@code rediss://host:port} (optionally {@code /db}). Put the password
         * in {@link #password()}, not in the URL: the URL may appear in the log, the password never does.
         */
        @WithDefault("redis://localhost:6379")
        String url();

        /** Password (env {@code UDAPI_LIMITS_REDIS_PASSWORD}); never logged. */
        Optional<String> password();

        /**
         * With {@code rediss://}: PEM files of the certificate authorities to trust instead of the JVM's; the host
         * name is always verified (there is no trust-all).
         */
        @WithName("tls-trust-pem")
        Optional<List<Path>> tlsTrustPem();

        /** Prefix of every key udapi writes, so that one server can serve several deployments. */
        @WithName("key-prefix")
        @WithDefault("udapi:limit:")
        String keyPrefix();

        /** Connections to the server per instance, 1..256. */
        @WithName("max-pool-size")
        @WithDefault("8")
        int maxPoolSize();
    }

    /** When tokens were last used (docs/tokens.md, "Usage"). */
    interface Usage {
        /**
         * How often each instance writes the usage it saw since the last write: one store request per
         * interval for all tokens used in it, never one per trigger. {@code lastUsedAt} lags by up to this
         * plus {@code udapi.sync.interval}: a token view re-reads the store's usage when its copy is older
         * than that ({@link io.udapi.usage.UsageFlusher}).
         */
        @WithName("flush-interval")
        @WithDefault("30s")
        java.time.Duration flushInterval();
    }

    /** The trigger counts of {@code GET /admin/v1/stats} (docs/api.md, "Trigger statistics"). */
    interface Stats {
        /**
         * At most this many definitions, and as many tokens, are counted at once (1..1,000,000; outside it the
         * start fails). Each costs at most 60 one-minute buckets of about 230 bytes (42 int counters), so the
         * default bounds the counts at about 28 MB; an object beyond it is not counted until one idle for an hour
         * is dropped.
         */
        @WithName("max-objects")
        @WithDefault("1000")
        int maxObjects();
    }

    interface Migrate {
        /**
         * With {@code udapi.store=elasticsearch}: the directory of a file store to copy into Elasticsearch
         * at start-up, before the first load (tokens, definitions, admin users, audit events and the
         * claims of token names and routes). It runs only while the indices hold no tokens and no
         * definitions, or to finish a copy that was interrupted; objects whose id exists are skipped, and a
         * completed copy is recorded (claim {@code migration/file-store}) so later starts skip it. The
         * lookup tags depend on the pepper: {@code udapi.secrets.pepper} must be the file store's pepper
         * (the content of {@code <dir>/pepper} when it was generated), else the copied secrets no longer
         * authenticate; start-up fails when {@code <dir>/pepper} exists and differs. Ignored with the
         * file store.
         */
        @WithName("from-file-store")
        Optional<Path> fromFileStore();
    }

    interface Admin {
        /** Serve the management API under /admin/v1. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Concurrent Argon2 verifications of admin passwords not yet cached (each uses 19 MiB): admins sign in
         * rarely, so one is enough, and it keeps a flood of wrong credentials to one core and 19 MiB.
         */
        @WithName("max-verifications")
        @WithDefault("1")
        int maxVerifications();

        /** Admin-password verifications that may wait; beyond them a request answers 503 AuthenticationBusy. */
        @WithName("verification-queue")
        @WithDefault("16")
        int verificationQueue();

        /**
         * Host names the management API and the console answer under, besides IP literals and localhost
         * (docs/security.md, "DNS rebinding"): {@code admin.example.com}, {@code *.corp.example}, or {@code *}.
         */
        @WithName("allowed-hosts")
        Optional<List<String>> allowedHosts();

        /**
         * Password verifications per user name and minute that no cache answered (1..100); beyond them a sign-in
         * answers 429 TooManyAttempts. A signed-in admin's requests never count.
         */
        @WithName("sign-in-attempts")
        @WithDefault("10")
        int signInAttempts();
    }
}
