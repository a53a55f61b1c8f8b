package io.durablejobs.cli;

import io.durablejobs.client.Job;
import io.durablejobs.client.JobStatus;

/** How a job is shown, and what exit code its final status means. */
final class JobView {
    private JobView() {
    }

    static void print(Output o, Job j) {
        if (o.json()) {
            o.json(j);
            return;
        }
        o.fields("job", j.jobId(), "type", j.type(), "status", j.status().wire(), "attempts", j.attempts(), "created", j.createdAt(),
                "updated", j.updatedAt(), "result", j.result() == null ? null : j.result().toString(), "error", j.error());
    }

    /** A progress line for people watching a wait (stderr, so stdout stays the result). */
    static String progress(Job j) {
        return "  " + j.status().wire() + (j.attempts() > 0 && !j.status().isFinal() ? " (attempt " + j.attempts() + ")" : "");
    }

    static int exitCode(Job j) {
        return j.status() == JobStatus.DEAD_LETTERED ? ExitCodes.DEAD_LETTERED : ExitCodes.OK;
    }
}
