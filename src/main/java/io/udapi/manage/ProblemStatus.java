package io.udapi.manage;

import io.udapi.problem.Reason;
import java.util.EnumMap;
import java.util.Map;

/** The one table from management refusal to HTTP status (docs/api.md); alphabetical, 400 unless listed. */
final class ProblemStatus {

    private static final Map<Reason, Integer> STATUS = new EnumMap<>(Map.ofEntries(
            Map.entry(Reason.AuthenticationBusy, 503),
            Map.entry(Reason.Forbidden, 403),
            Map.entry(Reason.HostNotAllowed, 421),
            Map.entry(Reason.LastManager, 409),
            Map.entry(Reason.NameInUse, 409),
            Map.entry(Reason.NotFound, 404),
            Map.entry(Reason.PayloadTooLarge, 413),
            Map.entry(Reason.RouteInUse, 409),
            Map.entry(Reason.StoreUnavailable, 503),
            Map.entry(Reason.TokenInUse, 409),
            Map.entry(Reason.TooManyAttempts, 429),
            Map.entry(Reason.Unauthorized, 401),
            Map.entry(Reason.UnsupportedMediaType, 415),
            Map.entry(Reason.VersionMismatch, 412)));

    private ProblemStatus() {
    }

    static int of(Reason reason) {
        return STATUS.getOrDefault(reason, 400);
    }
}
