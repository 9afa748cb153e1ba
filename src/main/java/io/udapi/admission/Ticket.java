package io.udapi.admission;

/**
 * What {@link Admission#tryEnter} did with a task: started it, queued it, or refused it. A refusal is a
 * value, never an exception: under overload it is the expected answer (docs/architecture.md, "Threading").
 */
public sealed interface Ticket permits Ticket.Started, Ticket.Queued, Ticket.Busy {

    /** The one {@link Started} value. */
    Started STARTED = new Started();
    /** The one {@link Queued} value. */
    Queued QUEUED = new Queued();

    /** A permit was free: the task has been handed to the starter with it, on the caller's thread. */
    record Started() implements Ticket {
    }

    /**
     * Every permit was taken and a queue place was free: the task waits and is handed to the starter, with the
     * permit, by whichever thread frees one. It may already have started by the time the caller sees this.
     */
    record Queued() implements Ticket {
    }

    /**
     * Every permit and every queue place was taken: the task was not kept and will never run. The bounds are
     * carried for the log line; callers answer their "busy" status (503 / 1100, 503 / 1006).
     */
    record Busy(int permits, int queueLimit) implements Ticket {
        /** For logs: "3 running and 64 waiting". */
        @Override
        public String toString() {
            return permits + " running and " + queueLimit + " waiting";
        }
    }
}
