package io.durablejobs.cli;

/** What {@code ./jobs} exits with; scripts branch on these (documented in clients/cli/README.md). */
final class ExitCodes {
    static final int OK = 0;
    /** The job ended without succeeding: dead-lettered or cancelled ({@code submit --wait}, {@code wait}). */
    static final int DEAD_LETTERED = 1;
    /** Bad arguments, no API key, an unreadable or invalid payload: nothing was sent. */
    static final int USAGE = 2;
    /** The API refused the request (a 4xx problem: invalid, unauthorized, not found, conflict). */
    static final int REFUSED = 3;
    /** The API is unavailable or unreachable (5xx or 429 after the client's retries, network errors). */
    static final int UNAVAILABLE = 4;
    /** Waiting for a job ran out of time; the job goes on. */
    static final int TIMED_OUT = 5;
    /** {@code submit-batch}: some jobs were accepted, some rejected (each rejection is printed). */
    static final int PARTIAL = 6;

    private ExitCodes() {
    }
}
