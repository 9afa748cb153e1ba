package io.udapi.secret;

/**
 * The {@link VerificationGate} is saturated: every permit is in use and the waiting queue is full. Expected
 * under overload, and answered as 503 / 1100 {@code AuthenticationBusy} with {@code Retry-After: 1}
 * (SPEC 4.2). Carries no stack trace: it is a flow-control signal, cheap to create under load.
 */
public final class VerificationBusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    VerificationBusyException(int maxConcurrent, int maxQueue) {
        super("secret verification is saturated: " + maxConcurrent + " running and " + maxQueue
                + " waiting", null, false, false);
    }
}
