package io.durablejobs.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.job.FailureEntry;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;

/** The JSON shapes of a job on the API. */
public final class JobViews {
    private JobViews() {
    }

    public static ObjectNode accepted(JobRecord r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("jobId", r.jobId());
        n.put("type", r.type());
        n.put("status", r.status().wire());
        n.put("createdAt", r.createdAt().toString());
        if (r.runAt() != null) {
            n.put("runAt", r.runAt().toString());
        }
        return n;
    }

    public static ObjectNode status(JobRecord r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("jobId", r.jobId());
        n.put("type", r.type());
        n.put("status", r.status().wire());
        n.put("attempts", r.attempts());
        n.put("createdAt", r.createdAt().toString());
        n.put("updatedAt", r.updatedAt().toString());
        if (r.runAt() != null) {
            n.put("runAt", r.runAt().toString());
        }
        if (r.cancelRequested() && !r.status().isTerminal()) {
            n.put("cancelRequested", true);
        }
        if (r.nextAttemptAt() != null && r.status() == JobStatus.RETRYING) {
            n.put("nextAttemptAt", r.nextAttemptAt().toString());
        }
        if (!r.history().isEmpty()) {
            var arr = n.putArray("history");
            for (FailureEntry e : r.history()) {
                var o = arr.addObject().put("attempt", e.attempt()).put("at", e.at().toString()).put("reason", e.reason());
                if (e.error() != null) {
                    o.put("error", e.error());
                }
            }
        }
        if (r.progress() != null) {
            n.putObject("progress").put("percent", r.progress().percent()).put("message", r.progress().message())
                    .put("at", r.progress().at().toString());
        }
        if (r.result() != null && !r.result().isNull()) {
            n.set("result", r.result());
        }
        if (r.error() != null) {
            n.put("error", r.error());
        }
        return n;
    }
}
