package io.udapi.manage;

import io.udapi.config.UdapiConfig;
import io.udapi.problem.Problems;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** {@code udapi.admin.enabled=false} hides the whole management API, e.g. on public-facing instances. */
public class AdminSwitch {

    private final boolean enabled;

    AdminSwitch(UdapiConfig config) {
        this.enabled = config.admin().enabled();
    }

    @ServerRequestFilter(preMatching = true)
    public Response hideWhenDisabled(ContainerRequestContext request) {
        if (!enabled && request.getUriInfo().getPath().startsWith("/admin")) {
            return ProblemMappers.respond(List.of(Problems.of(io.udapi.problem.Reason.NotFound, null, "no such resource")));
        }
        return null;
    }
}
