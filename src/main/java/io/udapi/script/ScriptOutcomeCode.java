package io.udapi.script;

/**
 * The one table from a failed script outcome to the trigger answer (docs/scripts.md): HTTP status,
 * {@code errorCode} and the fixed {@code title} of the error body. Alphabetised; the trigger handler
 * maps every {@link ScriptResult.Failure} through {@link ScriptResult.Failure#code()} and nothing else.
 */
public enum ScriptOutcomeCode {
    /** {@code responseCode} is a JSON number but not an integer from 200 to 599. */
    BAD_STATUS_CODE(500, 1002, "The script returned an invalid response code."),
    /** The script set a header udapi never lets a script set. */
    BLOCKED_HEADER(500, 1012, "The script set a header that is not allowed."),
    /** Every run slot is taken and the queue is full; retry later. */
    BUSY(503, 1006, "The script engine is busy."),
    /** Non-zero exit (process) or an unexpected status (http). */
    FAILED(500, 12, "The script failed."),
    /** A header name that is not an RFC 9110 token, or a value with control characters. */
    INVALID_HEADER(500, 1013, "The script set an invalid header."),
    /** Output that is not the OnApiTrigger JSON object. */
    INVALID_OUTPUT(500, 13, "The script returned invalid output."),
    /** Parameters the script declares are missing from the request ({@code missingScriptParameters}). */
    MISSING_PARAMETERS(400, 16, "Script parameters are missing."),
    /** The definition names a script that does not exist (yet). */
    NOT_FOUND(500, 15, "The script was not found."),
    /** The engine is not ready to run scripts (starting or shutting down). */
    NOT_READY(503, 1006, "The script engine is not ready."),
    /** Output or decoded body over its limit. */
    OUTPUT_TOO_LARGE(500, 17, "The script output is too large."),
    /** The run took longer than the script timeout and was stopped. */
    TIMED_OUT(500, 1001, "The script engine timed out."),
    /** The http engine cannot be reached. */
    UNREACHABLE(500, 1001, "The script engine is unreachable.");

    private final int httpStatus;
    private final int errorCode;
    private final String title;

    ScriptOutcomeCode(int httpStatus, int errorCode, String title) {
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.title = title;
    }

    /** HTTP status of the trigger answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The {@code errorCode} of the error body. */
    public int errorCode() {
        return errorCode;
    }

    /** The fixed sentence of the error body's {@code title}. */
    public String title() {
        return title;
    }
}
