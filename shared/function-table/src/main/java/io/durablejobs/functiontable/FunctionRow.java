package io.durablejobs.functiontable;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code functions/functions.json} with its {@code defaults} block applied, as the local host and
 * the CDK app both read it, so a field a row leaves out is sized the same locally and on Lambda. Terraform
 * applies the same fallbacks in {@code terraform/locals.tf}. Each reader validates what it needs on top.
 *
 * @param module      where the function's Maven module lives; null when the row names none
 * @param artifact    the function's jar name; null when the row names none
 * @param concurrency concurrent environments per trigger, or null for none reserved on Lambda
 * @param environment extra environment variables for the function
 */
public record FunctionRow(
        String name,
        String module,
        String artifact,
        String handler,
        String runtime,
        int memoryMb,
        int timeoutSeconds,
        int batchSize,
        int batchWindowMs,
        int shards,
        Integer concurrency,
        boolean snapStart,
        Trigger trigger,
        Map<String, String> environment) {

    /** Fallbacks when neither the row nor the defaults block sets a field: what Lambda is deployed with. */
    public static final String DEFAULT_RUNTIME = "java21";
    public static final int DEFAULT_MEMORY_MB = 512;
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final int DEFAULT_BATCH_WINDOW_MS = 500;
    public static final int DEFAULT_SHARDS = 1;
    public static final boolean DEFAULT_SNAP_START = false;

    /** kind: http | queue | schedule | deploy; the other fields null (routes empty) when the row leaves them out. */
    public record Trigger(String kind, String jobType, String role, List<String> routes, String expression) {
        public Trigger {
            routes = List.copyOf(routes);
        }
    }

    public FunctionRow {
        environment = Map.copyOf(environment);
    }

    /** Every row of a functions.json document, in file order. */
    public static List<FunctionRow> parse(JsonNode root) {
        JsonNode defaults = root.path("defaults");
        List<FunctionRow> out = new ArrayList<>();
        for (JsonNode f : root.path("functions")) {
            out.add(of(f, defaults));
        }
        return List.copyOf(out);
    }

    /** One row, {@code defaults} (the document's defaults block; may be missing) applied. */
    public static FunctionRow of(JsonNode f, JsonNode defaults) {
        JsonNode t = f.path("trigger");
        List<String> routes = new ArrayList<>();
        t.path("routes").forEach(r -> routes.add(r.asText()));
        Map<String, String> env = new LinkedHashMap<>();
        f.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return new FunctionRow(
                text(f, "name"), text(f, "module"), text(f, "artifact"), text(f, "handler"),
                f.hasNonNull("runtime") ? f.get("runtime").asText() : defaults.path("runtime").asText(DEFAULT_RUNTIME),
                intOf(f, defaults, "memoryMb", DEFAULT_MEMORY_MB),
                intOf(f, defaults, "timeoutSeconds", DEFAULT_TIMEOUT_SECONDS),
                intOf(f, defaults, "batchSize", DEFAULT_BATCH_SIZE),
                intOf(f, defaults, "batchWindowMs", DEFAULT_BATCH_WINDOW_MS),
                intOf(f, defaults, "shards", DEFAULT_SHARDS),
                nullableInt(f, defaults, "concurrency"),
                f.hasNonNull("snapStart") ? f.get("snapStart").asBoolean() : defaults.path("snapStart").asBoolean(DEFAULT_SNAP_START),
                new Trigger(text(t, "kind"), text(t, "jobType"), text(t, "role"), routes, text(t, "expression")),
                env);
    }

    /** The row's value, else the defaults', else the fallback; null counts as not set. */
    private static int intOf(JsonNode f, JsonNode defaults, String field, int fallback) {
        if (f.hasNonNull(field)) {
            return f.get(field).asInt();
        }
        return defaults.hasNonNull(field) ? defaults.get(field).asInt() : fallback;
    }

    /** The row's value (null included: "nothing reserved"), else the defaults'; null when absent from both. */
    private static Integer nullableInt(JsonNode f, JsonNode defaults, String field) {
        JsonNode v = f.has(field) ? f.get(field) : defaults.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asInt();
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
