package io.udapi.trigger;

/**
 * Every way a stage of the trigger path refuses a request (docs/architecture.md, "The trigger path"), with its HTTP
 * status, errorCode, the fixed {@code title} and, where the body must not vary, the fixed
 * {@code detail}. Script outcomes have their own table, {@link io.udapi.script.ScriptOutcomeCode}.
 * Alphabetical.
 */
public enum Rejection {
    /** The auth (header) stage: no {@code Authorization: Bearer <secret>}. */
    AUTHORIZATION_MISSING(401, 1008, "Authorization required.",
            "Send the API token's secret as 'Authorization: Bearer <secret>'."),
    /** Every Argon2 slot is busy and the secret is not cached (docs/security.md, "Token secrets on the trigger path"). */
    AUTHENTICATION_BUSY(503, 1100, "Authentication is busy.",
            "Too many new secrets are being verified; retry in a second."),
    /** Shutdown has begun: in-flight triggers finish, new ones go to another instance. */
    DRAINING(503, 1006, "The script engine is not ready.",
            "This instance is shutting down; retry on another instance."),
    /** The body stage: body over the limit, refused before it is read whole. */
    BODY_TOO_LARGE(413, 1009, "Request body too large.", null),
    /** The body or script stage: {@code udapi.limits.max-body-memory} is taken by other triggers ({@link BodyMemory}). */
    BODY_MEMORY_BUSY(503, 1102, "Request bodies are busy.",
            "Too many request bodies are held in memory; retry in a second."),
    /** The body stage: the body did not arrive whole within {@code udapi.limits.body-timeout}. */
    BODY_TIMEOUT(408, 1101, "Request timeout.", null),
    /** The URL (empty route) stage: nothing after /api/custom/. */
    EMPTY_ROUTE(400, 1, "Invalid request.", "The route after /api/custom/ is empty."),
    /** The parameters stage: the body is not a flat JSON object of scalars. */
    INVALID_PARAMETERS(400, 10, "Invalid parameters.", null),
    /**
     * The auth and allow stages. The detail is fixed and names no cause: unknown, disabled, expired and not-allowed
     * tokens must be indistinguishable, or the answer would let a caller enumerate tokens.
     */
    INVALID_TOKEN(401, 1010, "Invalid API token.",
            "The API token is not valid for this API."),
    /**
     * The limit stage in cluster scope with {@code udapi.limits.cluster-failure=fail-closed}: the rate-limit server
     * failed or was slower than {@code udapi.limits.cluster-timeout}, so no request is admitted.
     */
    LIMITS_UNAVAILABLE(503, 1103, "The rate limiter is not available.",
            "The rate-limit server of this cluster cannot be reached; retry in a second."),
    /** The method stage. */
    METHOD_NOT_ALLOWED(405, 3, "Method not allowed.", "Use GET, POST, PUT, PATCH or DELETE."),
    /**
     * Before any stage, on every path of the main port: the request names no host (HTTP/1.1 without a Host header, or
     * an HTTP/2 preface on the plain port, which serves HTTP/1.1 only). Vert.x refuses it before routing; udapi
     * answers it ({@code TriggerResponses.hostMissing}) so that it gets this envelope and no ERROR line in the log.
     */
    NO_HOST(400, 1104, "Invalid request.",
            "The request names no host: HTTP/1.1 requires a Host header, and this port serves HTTP/1.1 only."),
    /** The limit stage; the response stage builds the detail from the decision (RateLimitHeaders.deniedDetail). */
    RATE_LIMITED(429, 1014, "Rate limit exceeded.", null),
    /** The route stage. */
    ROUTE_NOT_FOUND(404, 5, "API not found.", "No API is defined for this route."),
    /** A fault of udapi itself; details only in the log. */
    UNEXPECTED(500, 8, "Unexpected error.", "An unexpected error occurred; see the service log with the request id."),
    /** The media stage. */
    UNSUPPORTED_MEDIA_TYPE(415, 1003, "Unsupported media type.",
            "Send Content-Type application/json, application/xml, text/xml or text/plain."),
    /** The URL (lengths) stage. */
    URI_TOO_LONG(414, 1011, "Request URI too long.", null);

    private final int status;
    private final int errorCode;
    private final String title;
    private final String fixedDetail;

    Rejection(int status, int errorCode, String title, String fixedDetail) {
        this.status = status;
        this.errorCode = errorCode;
        this.title = title;
        this.fixedDetail = fixedDetail;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    public String title() {
        return title;
    }

    /** Null when the detail depends on the request. */
    public String fixedDetail() {
        return fixedDetail;
    }
}
