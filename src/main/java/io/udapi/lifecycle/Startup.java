package io.udapi.lifecycle;

import io.quarkus.runtime.StartupEvent;
import io.udapi.audit.AuditEvent;
import io.udapi.audit.Stamp;
import io.udapi.manage.AuditTrail;
import io.udapi.registry.Registry;
import io.udapi.secret.SecretGenerator;
import io.udapi.secret.SecretHasher;
import io.udapi.store.Store;
import io.udapi.sync.Sync;
import io.udapi.sync.SyncStatus;
import io.udapi.user.AdminUser;
import io.udapi.user.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import io.udapi.config.UdapiConfig;
import org.jboss.logging.Logger;

/**
 * Brings the instance up: makes sure an admin exists, then loads every token, definition and user into
 * the registry (readiness waits for that) and starts the sync loop. When the store cannot be reached
 * the instance does not fail: it stays unready and the sync loop retries both steps every interval.
 */
@ApplicationScoped
public class Startup {

    private static final Logger LOG = Logger.getLogger(Startup.class);
    static final String BOOTSTRAP_USER = "admin";
    /** Who created the bootstrap admin, in its stamp and its audit event. */
    static final String BOOTSTRAP_CREATOR = "udapi";

    private final Store store;
    private final Registry registry;
    private final SecretHasher hasher;
    private final SecretGenerator generator;
    private final Clock clock;
    private final Optional<String> adminPassword;
    private final Sync sync;
    private final UdapiConfig config;
    private final AuditTrail audit;
    private boolean migrated;
    /** The admin another instance created while this one tried to (null otherwise): applied after the first load. */
    private volatile AdminUser racedAdmin;

    Startup(Store store, Registry registry, SecretHasher hasher, SecretGenerator generator, Clock clock,
            UdapiConfig config, Sync sync, AuditTrail audit) {
        this.sync = sync;
        this.audit = audit;
        this.config = config;
        this.store = store;
        this.registry = registry;
        this.hasher = hasher;
        this.generator = generator;
        this.clock = clock;
        this.adminPassword = config.adminPassword();
    }

    void onStart(@Observes StartupEvent event) {
        SyncStatus status = sync.start(() -> {
            migrateFileStore();
            bootstrapAdmin();
        });
        if (status.loaded() && racedAdmin != null) {
            registry.putUser(racedAdmin);   // ignored when the load already had it (same version)
        }
        if (status.loaded()) {
            LOG.infof("udapi ready: %d tokens, %d definitions, %d admin users from the %s store",
                    registry.tokenCount(), registry.definitions().size(), registry.users().size(), store.kind());
        } else {
            LOG.warnf("the %s store is unreachable (%s); not ready until the sync loop has loaded it",
                    store.kind(), status.lastError());
        }
    }

    /**
     * {@code udapi.migrate.from-file-store}: copies that file store into Elasticsearch before the first
     * load and before the admin bootstrap (so the file store's admins are kept). Retried with the first
     * load while the store is unreachable; a configuration error fails the start.
     */
    void migrateFileStore() {
        Optional<java.nio.file.Path> dir = config.migrate().fromFileStore();
        if (migrated || dir.isEmpty()) {
            return;
        }
        if (config.store() != UdapiConfig.StoreKind.elasticsearch) {
            LOG.warnf("udapi.migrate.from-file-store is ignored with udapi.store=%s", config.store());
            migrated = true;
            return;
        }
        Object target = io.quarkus.arc.ClientProxy.unwrap(store);
        if (!(target instanceof io.udapi.store.es.ElasticsearchStore es)) {
            throw new IllegalStateException("udapi.migrate.from-file-store needs the Elasticsearch store, not " + store.kind());
        }
        FileStoreMigration.Result result = FileStoreMigration.run(dir.get(), es, config.secrets().pepper(), clock);
        if (result.skipped() != null) {
            LOG.infof("file store migration from %s skipped: %s", dir.get().toAbsolutePath(), result.skipped());
        }
        migrated = true;
    }

    /**
     * With no admin user in the store, creates {@code admin} with every permission, from
     * {@code UDAPI_ADMIN_PASSWORD} or else a random password printed once to the log. Of instances that start
     * together on an empty shared store, the first create wins and the others use its admin
     * ({@code SimultaneousFirstStartIT}).
     */
    void bootstrapAdmin() {
        if (!store.users().list().isEmpty()) {
            return;
        }
        String password = adminPassword.filter(p -> !p.isEmpty()).orElse(null);
        boolean generated = password == null;
        if (generated) {
            password = generator.generate();
        } else if (!AdminUser.longEnough(password)) {
            throw new IllegalStateException("UDAPI_ADMIN_PASSWORD must have at least " + AdminUser.MIN_PASSWORD_LENGTH
                    + " characters");
        }
        AdminUser admin = new AdminUser(BOOTSTRAP_USER, hasher.hash(password), EnumSet.allOf(Permission.class),
                Stamp.created(BOOTSTRAP_CREATOR, clock.instant()), 1);
        try {
            store.users().create(admin);
        } catch (io.udapi.store.error.DuplicateIdException raced) {
            // read by id (realtime): the listing of the first load may not show the winner's write yet
            AdminUser stored = store.users().find(admin.id()).orElseThrow(() -> raced);
            if (!stored.passwordHash().equals(admin.passwordHash())) {
                // another instance of the cluster started at the same moment and created it first: its admin is the
                // one (and if its password was generated, that instance printed it); nothing of ours was stored
                LOG.infof("admin user '%s' was created by another instance starting at the same time; using it",
                        BOOTSTRAP_USER);
                racedAdmin = stored;
                return;
            }
            // the store had taken our create and refused a retry of it: the admin is ours, so say so below
        }
        // like every create, an audit event (SPEC: every create, update and delete); its user is udapi itself
        audit.record(BOOTSTRAP_CREATOR, AuditEvent.Action.created, AuditEvent.ObjectType.user, admin.name(), admin.name());
        if (generated) {
            // the one place a credential is logged, by design (docs/api.md): there is no other way to learn it
            LOG.warnf("created admin user '%s' with the generated password: %s  (printed once; change it with "
                    + "PATCH /admin/v1/users/admin, or set UDAPI_ADMIN_PASSWORD before the first start)", BOOTSTRAP_USER, password);
        } else {
            LOG.infof("created admin user '%s' with the password from udapi.admin-password (UDAPI_ADMIN_PASSWORD)", BOOTSTRAP_USER);
        }
    }
}
