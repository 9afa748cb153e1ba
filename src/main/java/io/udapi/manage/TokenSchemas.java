package io.udapi.manage;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The request and list bodies of {@code /admin/v1/tokens} as the management API's OpenAPI document shows them
 * (docs/management-api.md). Documentation only: the resources read each body field by field ({@link JsonBody}),
 * which tells a missing field from an explicit null and gives each mistake its own reason. A field the resource
 * accepts must appear here, and no other: ManagementOpenApiTest compares both through HTTP.
 */
final class TokenSchemas {

    private TokenSchemas() {
    }

    static final String NAME = "1 to 50 characters from A-Z a-z 0-9 - _; unique among tokens, case-insensitively.";
    static final String SECRET = "Write-only. 32 to 512 characters from A-Z a-z 0-9 _ - . = + /; unique across all tokens.";

    @Schema(name = "RateLimit", description = "At most limit admitted triggers per API in any window; null means unlimited.",
            requiredProperties = {"limit", "window"})
    record RateLimitBody(
            @Schema(minimum = "1", maximum = "100") int limit,
            @Schema(description = "An ISO-8601 duration from PT1S to P1D.", examples = "PT1M") String window) {
    }

    @Schema(name = "TokenCreate", description = "A new token; the answer shows its secret once.", requiredProperties = "name")
    record Create(
            @Schema(description = NAME, pattern = "^[A-Za-z0-9_-]{1,50}$") String name,
            @Schema(description = SECRET + " Generated when omitted (udapi_ and 38 base62 characters).", writeOnly = true,
                    minLength = 32, maxLength = 512) String secret,
            @Schema(description = "true creates the token disabled.", defaultValue = "false") Boolean isDisabled,
            @Schema(description = "When the token stops authenticating: an instant in the future, or a date YYYY-MM-DD "
                    + "(23:59:59 of that day in the server's time zone). Immutable afterwards; null or omitted: never.",
                    type = SchemaType.STRING, nullable = true) String expiresAt,
            @Schema(nullable = true) RateLimitBody rateLimit,
            @Schema(nullable = true, maxItems = 100, description = "CIDR blocks (IPv4 or IPv6; a bare address is one host) "
                    + "a trigger may come from; null or omitted: any address. See docs/tokens.md, Source ranges.")
            List<String> allowedSourceRanges) {
    }

    @Schema(name = "TokenPatch", description = "A JSON merge patch: only the fields given change; rateLimit null clears it.")
    record Patch(
            @Schema(description = NAME, pattern = "^[A-Za-z0-9_-]{1,50}$") String name,
            @Schema(description = SECRET + " A new secret for the token.", writeOnly = true, minLength = 32, maxLength = 512)
            String secret,
            Boolean isDisabled,
            @Schema(nullable = true) RateLimitBody rateLimit,
            @Schema(nullable = true, maxItems = 100, description = "CIDR blocks (IPv4 or IPv6; a bare address is one host) "
                    + "a trigger may come from; null or omitted: any address. See docs/tokens.md, Source ranges.")
            List<String> allowedSourceRanges) {
    }

    @Schema(name = "TokenRotate", description = "An optional body of a rotation: without secret one is generated.")
    record Rotate(
            @Schema(description = SECRET, writeOnly = true, minLength = 32, maxLength = 512) String secret,
            @Schema(description = "How long the replaced secret keeps authenticating: an ISO-8601 duration from PT0S "
                    + "to P7D; omitted: PT0S (it stops at once). See docs/tokens.md, Rotation with an overlap.",
                    examples = "PT1H") String previousSecretValidFor,
            @Schema(description = "true ends a running overlap now and keeps the current secret; no other field may "
                    + "be given with it. Without an overlap it changes nothing.") Boolean endOverlap) {
    }

    @Schema(name = "TokenRevoke", requiredProperties = "ids")
    record Revoke(@Schema(description = "Ids of the tokens to delete.") List<String> ids) {
    }

    @Schema(name = "TokenRevokeResult", requiredProperties = {"id", "status"})
    record RevokeResult(String id,
                        @Schema(enumeration = {"deleted", "inUse", "notFound"}) String status,
                        @Schema(description = "With inUse: the definitions that allow the token.") List<String> apiDefinitionIdLinks) {
    }

    @Schema(name = "TokenRevokeResults", requiredProperties = "results")
    record RevokeResults(@Schema(description = "One result per distinct id, in the order given.") List<RevokeResult> results) {
    }

    @Schema(name = "LeakedSecrets", requiredProperties = "secrets")
    record Leaked(@Schema(description = "Secrets found in public code.", maxItems = 100) List<String> secrets) {
    }

    @Schema(name = "LeakedSecretResult", requiredProperties = {"index", "status"})
    record LeakResult(@Schema(description = "The secret's position in the request, from 0.") int index,
                      @Schema(enumeration = {"disabled", "alreadyDisabled", "unknown"}) String status,
                      @Schema(description = "The token the secret authenticates; absent with unknown.") String tokenId) {
    }

    @Schema(name = "LeakedSecretResults", requiredProperties = "results")
    record LeakResults(@Schema(description = "One result per secret, in the order given.") List<LeakResult> results) {
    }

    @Schema(name = "TokenList", requiredProperties = {"items", "total"})
    record TokenList(List<TokenView> items, @Schema(description = "How many tokens match, over every page.") long total) {
    }
}
