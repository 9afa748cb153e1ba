package io.udapi.script;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every outcome of a script run (docs/scripts.md). A run either {@link Responded} (OnApiTrigger),
 * {@link Completed} (Run) or ended in a {@link Failure}, which carries its status and errorCode through
 * {@link ScriptOutcomeCode}. Expected outcomes are values; an exceptionally completed stage is a bug
 * (the trigger answers 500/8).
 */
public sealed interface ScriptResult {

    /**
     * A valid OnApiTrigger answer, already checked against every rule of docs/scripts.md.
     *
     * @param status  200..599
     * @param body    the decoded body; shared, never mutate it
     * @param headers validated, no blocked name, always with a Content-Type when the body came from
     *                {@code responseBody}/{@code responseBodyBytes}; names keep the script's spelling
     */
    record Responded(int status, byte[] body, Map<String, List<String>> headers) implements ScriptResult {
        public Responded {
            Objects.requireNonNull(body, "body");
            headers = Map.copyOf(headers);
        }

        @Override
        public String toString() {
            return "Responded[status=" + status + ", body=" + body.length + " bytes, headers=" + headers + "]";
        }
    }

    /** A Run that exited 0 (process) or answered 200 (http); the trigger answers 200 with an empty body. */
    record Completed() implements ScriptResult {
    }

    /** Every non-success outcome; {@link #detail()} is safe to show to the client. */
    sealed interface Failure extends ScriptResult {
        ScriptOutcomeCode code();

        /** A specific message safe for the error body: never script stderr or engine internals. */
        String detail();
    }

    /** 400/16: declared parameters absent from the request, in declaration order. */
    record MissingParameters(List<String> names) implements Failure {
        public MissingParameters {
            names = List.copyOf(names);
        }

        public ScriptOutcomeCode code() {
            return ScriptOutcomeCode.MISSING_PARAMETERS;
        }

        public String detail() {
            return "Missing script parameters: " + String.join(", ", names) + ".";
        }
    }

    /** 500/15. */
    record NotFound(String scriptName) implements Failure {
        public ScriptOutcomeCode code() {
            return ScriptOutcomeCode.NOT_FOUND;
        }

        public String detail() {
            return "Script '" + scriptName + "' does not exist.";
        }
    }

    /** 500/12: non-zero exit or an http status other than 200/404/422. */
    record Failed(String detail) implements Failure {
        public ScriptOutcomeCode code() {
            return ScriptOutcomeCode.FAILED;
        }
    }

    /** 500/1002: {@code value} is the offending responseCode as JSON text. */
    record BadStatusCode(String value) implements Failure {
        public ScriptOutcomeCode code() {
            return ScriptOutcomeCode.BAD_STATUS_CODE;
        }

        public String detail() {
            return "responseCode " + value + " is not an integer from 200 to 599.";
        }
    }

    /** 500/13. */
    record InvalidOutput(String why) implements Failure {
        public ScriptOutcomeCode code() {
            return ScriptOutcomeCode.INVALID_OUTPUT;
        }

        public String detail() {
            return "Invalid script output: " + why + ".";
        }
    }

    /** 500/17: the output (process stdout, http body) or the decoded body is over {@code limitBytes}. */
    record OutputTooLarge(String what, long limitBytes) implements Failure {
        public ScriptOutcomeCode code() {
            return ScriptOutcomeCode.OUTPUT_TOO_LARGE;
        }

        public String detail() {
            return "The script " + what + " is larger than " + limitBytes + " bytes.";
        }
    }

    /** 500/1013. */
    record InvalidHeader(String why) implements Failure {
        public ScriptOutcomeCode code() {
            return ScriptOutcomeCode.INVALID_HEADER;
        }

        public String detail() {
            return "Invalid response header: " + why + ".";
        }
    }

    /** 500/1012: {@code name} as the script spelled it. */
    record BlockedHeader(String name) implements Failure {
        public ScriptOutcomeCode code() {
            return ScriptOutcomeCode.BLOCKED_HEADER;
        }

        public String detail() {
            return "The script may not set the header '" + name + "'.";
        }
    }

    /** 500/1001: the http engine refused or dropped the connection. */
    record Unreachable(String detail) implements Failure {
        public ScriptOutcomeCode code() {
            return ScriptOutcomeCode.UNREACHABLE;
        }
    }

    /** 500/1001: the run was stopped after {@code timeout} (process killed with its children). */
    record TimedOut(Duration timeout) implements Failure {
        public ScriptOutcomeCode code() {
            return ScriptOutcomeCode.TIMED_OUT;
        }

        public String detail() {
            return "The script did not finish within " + timeout.toMillis() + " ms.";
        }
    }

    /** 503/1006: concurrency and queue are full. */
    record Busy() implements Failure {
        public ScriptOutcomeCode code() {
            return ScriptOutcomeCode.BUSY;
        }

        public String detail() {
            return "Too many script runs are in progress; retry later.";
        }
    }

    /** 503/1006: the engine is starting or shutting down. */
    record NotReady(String detail) implements Failure {
        public ScriptOutcomeCode code() {
            return ScriptOutcomeCode.NOT_READY;
        }
    }
}
