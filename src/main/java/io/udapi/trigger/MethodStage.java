package io.udapi.trigger;

import io.vertx.core.http.HttpMethod;
import java.util.Set;

/** Method: one of GET, POST, PUT, PATCH, DELETE, else 405/3 with {@code Allow} (docs/architecture.md). */
final class MethodStage implements Stage {

    private static final Set<HttpMethod> METHODS = Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE);

    @Override
    public Name name() {
        return Name.METHOD;
    }

    @Override
    public Outcome apply(TriggerContext ctx) {
        return METHODS.contains(ctx.request().method()) ? ctx.next() : ctx.reject(Rejection.METHOD_NOT_ALLOWED);
    }
}
