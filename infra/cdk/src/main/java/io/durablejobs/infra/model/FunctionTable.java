package io.durablejobs.infra.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.functiontable.FunctionRow;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads functions/functions.json: the function table, with the defaults block applied to each row by the
 * reader the local host shares ({@link FunctionRow}), and checked for what a deployment needs.
 */
public final class FunctionTable {
    private FunctionTable() {
    }

    public static List<FunctionSpec> parse(JsonNode root) {
        JsonNode defaults = root.path("defaults");
        List<FunctionSpec> out = new ArrayList<>();
        for (JsonNode f : root.path("functions")) {
            out.add(row(f, defaults));
        }
        return List.copyOf(out);
    }

    public static FunctionSpec row(JsonNode f, JsonNode defaults) {
        FunctionRow r = FunctionRow.of(f, defaults);
        FunctionRow.Trigger t = r.trigger();
        FunctionSpec.Trigger trigger = new FunctionSpec.Trigger(
                require(t.kind(), "kind", f), t.jobType(), t.role(), t.routes(), t.expression());
        if (trigger.isSchedule() && trigger.expression() == null) {
            throw new IllegalArgumentException("function " + f.path("name").asText()
                    + ": a schedule trigger names its EventBridge expression, e.g. rate(1 minute)");
        }
        if (trigger.isQueue() && (trigger.jobType() == null) == (trigger.role() == null)) {
            throw new IllegalArgumentException("function " + f.path("name").asText()
                    + ": a queue trigger names exactly one of jobType or role");
        }
        if (r.shards() < 1 || (r.shards() > 1 && trigger.jobType() == null)) {
            throw new IllegalArgumentException("function " + f.path("name").asText()
                    + ": shards must be >= 1, and only a jobType queue trigger can be sharded");
        }
        if (r.concurrency() != null && r.concurrency() < 1) {
            throw new IllegalArgumentException("function " + f.path("name").asText()
                    + ": concurrency must be >= 1, or null for no reserved concurrency");
        }
        return new FunctionSpec(
                require(r.name(), "name", f), require(r.module(), "module", f), require(r.artifact(), "artifact", f),
                require(r.handler(), "handler", f), r.runtime(), r.memoryMb(), r.timeoutSeconds(), r.batchSize(),
                r.batchWindowMs(), r.shards(), r.concurrency(), r.snapStart(), trigger);
    }

    private static String require(String value, String field, JsonNode row) {
        if (value == null) {
            throw new IllegalArgumentException("functions.json row " + row + " lacks '" + field + "'");
        }
        return value;
    }
}
