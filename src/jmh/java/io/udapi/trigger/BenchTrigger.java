package io.udapi.trigger;

import io.udapi.token.RateLimit;

/** The parts of {@link TriggerHandler}'s hot path that {@code PipelineBench} calls, exposed without CDI. */
public final class BenchTrigger {

    private BenchTrigger() {}

    /** The {@code RateLimit-Policy} value, as {@code TriggerHandler.admitted} sets it. */
    public static String policyHeader(RateLimit limit) {
        return TriggerHandler.policyHeader(limit);
    }

    /** The UTF-8 byte count of the path, as {@code TriggerHandler.handle} checks it in the URL stage (docs/architecture.md). */
    public static int pathBytes(String rawPath) {
        return TriggerHandler.utf8Length(rawPath);
    }
}
