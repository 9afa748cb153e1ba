package io.udapi.problem;

/**
 * Why the management API refused a request. The HTTP status of each reason lives in
 * {@code io.udapi.manage.ProblemStatus}, the one table that maps outcomes to statuses.
 */
public enum Reason {
    /**
     * 503: every admin-password verification slot and queue place is taken, or those of the Argon2 of admin writes
     * (with {@code Retry-After: 1}).
     */
    AuthenticationBusy,
    InvalidActionMeta,
    InvalidDescription,
    InvalidExpiry,
    InvalidName,
    InvalidPassword,
    InvalidRateLimit,
    /** A rotate body the overlap rules refuse: previousSecretValidFor outside PT0S..P7D, or a misused endOverlap. */
    InvalidRotation,
    InvalidRoute,
    InvalidSecret,
    /** A token's {@code allowedSourceRanges} is not a list of 1..100 CIDR blocks (docs/tokens.md, "Source ranges"). */
    InvalidSourceRange,
    Forbidden,
    /** 421: the request's {@code Host} is not a name the management API answers under (a DNS-rebinding defence). */
    HostNotAllowed,
    LastManager,
    MalformedRequest,
    NameInUse,
    NotFound,
    PayloadTooLarge,
    RouteInUse,
    StoreUnavailable,
    TokenInUse,
    /** 429: the user name's uncached sign-ins of the last minute are used up (with {@code Retry-After}). */
    TooManyAttempts,
    Unauthorized,
    UnknownToken,
    /** 415: a write whose body is not JSON (the CSRF defence, docs/security.md). */
    UnsupportedMediaType,
    VersionMismatch
}
