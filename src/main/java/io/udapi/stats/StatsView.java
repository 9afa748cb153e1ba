package io.udapi.stats;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer of {@code GET /admin/v1/stats} (docs/api.md, "Trigger statistics"): this instance's trigger counts of
 * the last hour, per definition and per token, in one-minute buckets, oldest first.
 */
@Schema(name = "Stats", description = "This instance's trigger counts of the last hour in one-minute buckets.",
        requiredProperties = {"nodeId", "from", "bucket", "definitions", "tokens"})
@JsonPropertyOrder({"nodeId", "from", "bucket", "definitions", "tokens"})
public record StatsView(
        @Schema(description = "udapi.node-id of the instance that answered: the counts are its own.") String nodeId,
        @Schema(description = "Start of the oldest bucket the answer may hold: the current minute less 59 minutes.")
        Instant from,
        @Schema(description = "Length of one bucket, an ISO-8601 duration.", enumeration = "PT1M") String bucket,
        @Schema(description = "Definitions named by an answer in the last hour, by route.") List<DefinitionStats> definitions,
        @Schema(description = "Tokens named by an answer in the last hour, by name.") List<TokenStats> tokens) {

    public static final String BUCKET = "PT1M";

    public StatsView {
        definitions = List.copyOf(definitions);
        tokens = List.copyOf(tokens);
    }

    @Schema(name = "DefinitionStats", requiredProperties = {"id", "route", "buckets"})
    @JsonPropertyOrder({"id", "route", "buckets"})
    public record DefinitionStats(String id,
                                  @Schema(description = "The route as of the latest answer counted.") String route,
                                  List<Bucket> buckets) {
        public DefinitionStats {
            buckets = List.copyOf(buckets);
        }
    }

    @Schema(name = "TokenStats", requiredProperties = {"id", "name", "buckets"})
    @JsonPropertyOrder({"id", "name", "buckets"})
    public record TokenStats(String id,
                             @Schema(description = "The name as of the latest answer counted.") String name,
                             List<Bucket> buckets) {
        public TokenStats {
            buckets = List.copyOf(buckets);
        }
    }

    /**
     * One minute. {@code admitted} counts requests that passed the rate limit (as {@code lastUsedAt} does, so an
     * admitted request later answered 415 or 5xx is also in {@code rejected} or {@code errors}); the others count
     * answers by status.
     */
    @Schema(name = "StatsBucket", description = "One minute; buckets without any answer are left out.",
            requiredProperties = {"at", "admitted", "rateLimited", "rejected", "errors", "p50Ms", "p99Ms"})
    @JsonPropertyOrder({"at", "admitted", "rateLimited", "rejected", "errors", "p50Ms", "p99Ms"})
    public record Bucket(
            @Schema(description = "Start of the minute.") Instant at,
            @Schema(description = "Requests that passed the rate limit.") int admitted,
            @Schema(description = "429 answers of the rate limit.") int rateLimited,
            @Schema(description = "401, 404, 405, 413, 414 and 415 answers.") int rejected,
            @Schema(description = "5xx answers.") int errors,
            @Schema(nullable = true, description = "Median time from arrival to answer of the admitted requests, in ms, "
                    + "as the upper bound of its histogram bin (at most 50 % above); null: none admitted.") Double p50Ms,
            @Schema(nullable = true, description = "99th percentile of the same; null: none admitted.") Double p99Ms) {
    }
}
