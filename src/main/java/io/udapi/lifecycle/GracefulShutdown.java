package io.udapi.lifecycle;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * SIGTERM (what Kubernetes sends) starts Quarkus' orderly shutdown and exits 0: new requests are
 * refused, in-flight triggers get up to {@code quarkus.shutdown.timeout} to finish, then the process
 * ends. Without this handler the JVM would end with 143 and the drain would depend on shutdown hooks.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

    /** Set once, when shutdown begins; read by the trigger handler on every request. */
    private volatile boolean draining;

    /** New triggers are refused (503) from the moment shutdown begins; in-flight ones finish. */
    public boolean isDraining() {
        return draining;
    }

    void onStop(@Observes ShutdownEvent event) {
        draining = true;
    }

    void onStart(@Observes StartupEvent event) {
        try {
            Signal.handle(new Signal("TERM"), signal -> {
                LOG.info("SIGTERM: refusing new requests and draining in-flight triggers");
                draining = true;
                Quarkus.asyncExit(0);
            });
        } catch (IllegalArgumentException unsupported) {
            LOG.debug("SIGTERM cannot be handled on this platform; the JVM default applies");
        }
    }
}
