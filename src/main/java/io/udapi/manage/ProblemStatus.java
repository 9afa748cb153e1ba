package io.udapi.manage;

import io.udapi.problem.Reason;
import java.util.EnumMap;
import java.util.Map;

/** The one table from management refusal to HTTP status (SPEC 3); alphabetical, 400 unless listed. */
final class ProblemStatus {

    private static final Map<Reason, Integer> STATUS = new EnumMap<>(Map.of(
            Reason.Forbidden, 403,
            Reason.LastManager, 409,
            Reason.NameInUse, 409,
            Reason.NotFound, 404,
            Reason.PayloadTooLarge, 413,
            Reason.RouteInUse, 409,
            Reason.StoreUnavailable, 503,
            Reason.TokenInUse, 409,
            Reason.Unauthorized, 401,
            Reason.VersionMismatch, 412));

    private ProblemStatus() {
    }

    static int of(Reason reason) {
        return STATUS.getOrDefault(reason, 400);
    }
}
