package io.durablejobs.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablejobs.functiontable.FunctionRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The functions the host can run, read from {@code functions.json}: the copy packed into the jar at
 * build time, or the file named by {@code JOBS_FUNCTIONS_FILE}. Rows are read by {@link FunctionRow}, the
 * reader the CDK app uses too, so a field a row leaves out gets the size Lambda is deployed with.
 */
public record FunctionTable(List<FunctionSpec> functions) {
    public static final String RESOURCE = "/io/durablejobs/host/functions.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public FunctionTable {
        functions = List.copyOf(functions);
        Set<String> names = new TreeSet<>();
        for (FunctionSpec f : functions) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("function listed twice: " + f.name());
            }
        }
        ApiRoutes.check(functions);
    }

    /** {@code file} when given, else the table packed into the jar. */
    public static FunctionTable load(Path file) {
        try {
            if (file != null) {
                try (InputStream in = Files.newInputStream(file)) {
                    return parse(in);
                }
            }
            try (InputStream in = FunctionTable.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("no " + RESOURCE + " in the jar; set JOBS_FUNCTIONS_FILE");
                }
                return parse(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the function table " + (file != null ? file : RESOURCE), e);
        }
    }

    public static FunctionTable parse(InputStream in) throws IOException {
        JsonNode root = JSON.readTree(in);
        JsonNode defaults = root.path("defaults");
        List<FunctionSpec> specs = new ArrayList<>();
        for (JsonNode f : root.path("functions")) {
            specs.add(spec(f, defaults));
        }
        return new FunctionTable(specs);
    }

    private static FunctionSpec spec(JsonNode f, JsonNode defaults) {
        FunctionRow r = FunctionRow.of(f, defaults);
        String handler = r.handler() == null ? "" : r.handler();
        int sep = handler.indexOf("::");
        String cls = sep < 0 ? handler : handler.substring(0, sep);
        String method = sep < 0 ? "handleRequest" : handler.substring(sep + 2);
        if (cls.isBlank()) {
            throw new IllegalArgumentException(r.name() + ": handler must be class::method");
        }
        // null concurrency means nothing reserved on Lambda; the host then runs one environment per trigger
        int concurrency = r.concurrency() == null ? 1 : r.concurrency();
        return new FunctionSpec(r.name(), cls, method, trigger(r.name(), f.path("trigger"), r.shards()),
                r.memoryMb(), r.timeoutSeconds(), r.batchSize(), r.batchWindowMs(), concurrency, r.environment());
    }

    private static Trigger trigger(String name, JsonNode t, int shards) {
        String kind = t.path("kind").asText("");
        if (kind.equals("http")) {
            List<String> routes = new ArrayList<>();
            t.path("routes").forEach(r -> routes.add(r.asText()));
            return new Trigger.Http(routes);
        }
        if (kind.equals("queue")) {
            if (t.hasNonNull("jobType")) {
                if (shards < 1 || shards > 64) {
                    throw new IllegalArgumentException(name + ": shards must be 1..64");
                }
                return new Trigger.WorkQueue(t.get("jobType").asText(), shards);
            }
            if (t.path("role").asText("").equals("dead")) {
                return new Trigger.DeadQueue();
            }
        }
        if (kind.equals("schedule")) {
            return Trigger.Schedule.parse(t.path("expression").asText(null));
        }
        throw new IllegalArgumentException(name + ": trigger must be {kind: http}, {kind: queue, jobType: X}, {kind: queue, role: dead}"
                + " or {kind: schedule, expression: rate(...)}");
    }

    /**
     * The subset to run; an empty selection means all. Unknown names are an error that lists the known ones.
     * The http functions go together: the API is one API Gateway in front of all of them, each serving its
     * routes, so a selection naming one (say {@code submit}) runs the API with every route it has.
     */
    public FunctionTable select(Collection<String> names) {
        if (names == null || names.isEmpty()) {
            return this;
        }
        Set<String> known = new TreeSet<>();
        functions.forEach(f -> known.add(f.name()));
        List<String> unknown = names.stream().filter(n -> !known.contains(n)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown functions " + unknown + "; the table has " + known);
        }
        boolean api = functions.stream().anyMatch(f -> f.isHttp() && names.contains(f.name()));
        return new FunctionTable(functions.stream().filter(f -> names.contains(f.name()) || (api && f.isHttp())).toList());
    }

    public List<String> names() {
        return functions.stream().map(FunctionSpec::name).toList();
    }

    /**
     * {@code type=N,...} for the sharded types of this table, as JOBS_SHARDS wants it (empty when none): the
     * same value infra gives the functions, so the submit function spreads jobs over the shards.
     */
    public String shardSpec() {
        return functions.stream().map(FunctionSpec::trigger).filter(Trigger.WorkQueue.class::isInstance)
                .map(t -> (Trigger.WorkQueue) t).filter(w -> w.shards() > 1).map(w -> w.jobType() + "=" + w.shards())
                .sorted().collect(Collectors.joining(","));
    }

    /** Job types whose queues the selected functions consume. */
    public List<String> jobTypes() {
        return functions.stream().map(FunctionSpec::trigger)
                .filter(Trigger.WorkQueue.class::isInstance).map(t -> ((Trigger.WorkQueue) t).jobType()).toList();
    }
}
