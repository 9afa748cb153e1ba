package io.udapi.problem;

/**
 * Why the management API refused a request. The HTTP status of each reason lives in
 * {@code io.udapi.manage.ProblemStatus}, the one table that maps outcomes to statuses.
 */
public enum Reason {
    InvalidActionMeta,
    InvalidDescription,
    InvalidExpiry,
    InvalidName,
    InvalidPassword,
    InvalidRateLimit,
    InvalidRoute,
    InvalidSecret,
    Forbidden,
    LastManager,
    MalformedRequest,
    NameInUse,
    NotFound,
    PayloadTooLarge,
    RouteInUse,
    StoreUnavailable,
    TokenInUse,
    Unauthorized,
    UnknownToken,
    VersionMismatch
}
