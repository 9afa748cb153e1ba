package io.udapi.manage;

import io.udapi.config.NodeIdentity;
import io.udapi.stats.StatsView;
import io.udapi.stats.TriggerStats;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /admin/v1/stats} (docs/api.md, "Trigger statistics"): this instance's trigger counts of the last hour, from memory. The permission
 * ({@code events.read}) is checked by {@link AdminGate} from {@link AdminAccess}'s table, like every other.
 */
@Path("/admin/v1/stats")
@Tag(name = "Stats")
public class StatsResource {

    private final TriggerStats stats;
    private final String nodeId;

    StatsResource(TriggerStats stats, NodeIdentity node) {
        this.stats = stats;
        this.nodeId = node.id();
    }

    @Operation(operationId = "getStats", summary = "Trigger counts of the last hour on this instance",
            description = "Per definition and per token, in one-minute buckets, oldest first; buckets without any "
                    + "answer are left out. Each instance counts its own triggers: ask every instance for a cluster's.")
    @APIResponse(responseCode = "200", description = "The counts.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StatsView.class)))
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public StatsView get() {
        return stats.snapshot(nodeId);
    }
}
