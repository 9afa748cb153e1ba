package io.udapi.manage;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.enterprise.context.ApplicationScoped;

/** The admin {@link AdminGate} authenticated for the current request, for the resources. */
@ApplicationScoped
public class AdminCaller {

    private final CurrentVertxRequest request;

    AdminCaller(CurrentVertxRequest request) {
        this.request = request;
    }

    /** The caller. Every {@code /admin/v1} request passes the gate, so a missing caller is a fault (500). */
    public Caller current() {
        Caller caller = request.getCurrent() == null ? null : request.getCurrent().get(AdminGate.CALLER);
        if (caller == null) {
            throw new IllegalStateException("a management request reached a resource without passing AdminGate");
        }
        return caller;
    }
}
