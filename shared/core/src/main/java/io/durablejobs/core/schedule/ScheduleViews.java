package io.durablejobs.core.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.json.Json;

/** The JSON shape of a schedule on the API. */
public final class ScheduleViews {
    private ScheduleViews() {
    }

    public static ObjectNode of(Schedule s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("scheduleId", s.id());
        n.put("cron", s.cron());
        n.put("timeZone", s.timeZone().getId());
        ObjectNode job = n.putObject("job");
        job.put("type", s.job().type());
        job.set("payload", s.job().payload());
        job.put("priority", s.job().priority());
        n.put("overlap", s.overlap().wire());
        n.put("missedTicks", s.missed().wire());
        n.put("status", s.paused() ? "paused" : "active");
        n.put("createdAt", s.createdAt().toString());
        if (s.nextRunAt() != null && !s.paused()) {
            n.put("nextRunAt", s.nextRunAt().toString());
        }
        if (s.lastTickAt() != null) {
            n.put("lastRunAt", s.lastTickAt().toString());
        }
        if (s.lastJobId() != null) {
            n.put("lastJobId", s.lastJobId());
        }
        return n;
    }
}
