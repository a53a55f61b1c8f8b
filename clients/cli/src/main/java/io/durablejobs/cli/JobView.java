package io.durablejobs.cli;

import io.durablejobs.client.Job;
import io.durablejobs.client.JobStatus;
import java.util.ArrayList;
import java.util.List;

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
                "updated", j.updatedAt(), "run at", j.runAt(), "progress", progressText(j), "cancel",
                j.cancelPending() && !j.status().isFinal() ? "requested: its handler was asked to stop" : null,
                "next attempt", j.nextAttemptAt(), "result", j.result() == null ? null : j.result().toString(), "error", j.error());
        if (!j.history().isEmpty()) {
            o.line("");
            List<List<String>> rows = new ArrayList<>();
            j.history().forEach(f -> rows.add(List.of(Integer.toString(f.attempt()), String.valueOf(f.at()), Output.cell(f.reason()),
                    Output.cell(Output.clip(f.error(), 80)))));
            o.table(List.of("ATTEMPT", "AT", "REASON", "ERROR"), rows);
        }
    }

    /** {@code 40% rendering page 2}, or null when the handler reported none. */
    static String progressText(Job j) {
        if (j.progress() == null) {
            return null;
        }
        String m = j.progress().message();
        return j.progress().percent() + "%" + (m == null || m.isBlank() ? "" : " " + Output.clip(m, 60));
    }

    /** A progress line for people watching a wait (stderr, so stdout stays the result). */
    static String progress(Job j) {
        String p = j.status().isFinal() ? null : progressText(j);
        return "  " + j.status().wire() + (j.attempts() > 0 && !j.status().isFinal() ? " (attempt " + j.attempts() + ")" : "")
                + (j.status() == JobStatus.SCHEDULED && j.runAt() != null ? " until " + j.runAt() : "") + (p == null ? "" : " " + p);
    }

    static int exitCode(Job j) {
        return j.status() == JobStatus.DEAD_LETTERED || j.status() == JobStatus.CANCELLED ? ExitCodes.DEAD_LETTERED : ExitCodes.OK;
    }
}
