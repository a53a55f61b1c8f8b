package io.durablejobs.infra.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads functions/functions.json: the function table, with the defaults block applied to each row. */
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
        JsonNode t = f.path("trigger");
        List<String> routes = new ArrayList<>();
        t.path("routes").forEach(r -> routes.add(r.asText()));
        FunctionSpec.Trigger trigger = new FunctionSpec.Trigger(
                require(t, "kind", f), text(t, "jobType"), text(t, "role"), List.copyOf(routes), text(t, "expression"));
        if (trigger.isSchedule() && trigger.expression() == null) {
            throw new IllegalArgumentException("function " + f.path("name").asText()
                    + ": a schedule trigger names its EventBridge expression, e.g. rate(1 minute)");
        }
        if (trigger.isQueue() && (trigger.jobType() == null) == (trigger.role() == null)) {
            throw new IllegalArgumentException("function " + f.path("name").asText()
                    + ": a queue trigger names exactly one of jobType or role");
        }
        int shards = intOf(f, defaults, "shards", 1);
        if (shards < 1 || (shards > 1 && trigger.jobType() == null)) {
            throw new IllegalArgumentException("function " + f.path("name").asText()
                    + ": shards must be >= 1, and only a jobType queue trigger can be sharded");
        }
        Integer concurrency = nullableInt(f, defaults, "concurrency");
        if (concurrency != null && concurrency < 1) {
            throw new IllegalArgumentException("function " + f.path("name").asText()
                    + ": concurrency must be >= 1, or null for no reserved concurrency");
        }
        boolean snapStart = f.has("snapStart") ? f.get("snapStart").asBoolean() : defaults.path("snapStart").asBoolean(false);
        return new FunctionSpec(
                require(f, "name", f), require(f, "module", f), require(f, "artifact", f), require(f, "handler", f),
                f.has("runtime") ? f.get("runtime").asText() : defaults.path("runtime").asText("java21"),
                intOf(f, defaults, "memoryMb", 512),
                intOf(f, defaults, "timeoutSeconds", 60),
                intOf(f, defaults, "batchSize", 100),
                intOf(f, defaults, "batchWindowMs", 500),
                shards,
                concurrency,
                snapStart,
                trigger);
    }

    private static int intOf(JsonNode f, JsonNode defaults, String field, int fallback) {
        if (f.has(field)) {
            return f.get(field).asInt();
        }
        return defaults.has(field) ? defaults.get(field).asInt() : fallback;
    }

    /** The row's value, else the defaults'; null when absent or null in both (null: nothing reserved). */
    private static Integer nullableInt(JsonNode f, JsonNode defaults, String field) {
        JsonNode v = f.has(field) ? f.get(field) : defaults.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asInt();
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static String require(JsonNode n, String field, JsonNode row) {
        if (!n.hasNonNull(field)) {
            throw new IllegalArgumentException("functions.json row " + row + " lacks '" + field + "'");
        }
        return n.get(field).asText();
    }
}
