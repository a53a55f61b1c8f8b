import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cold start of one function jar as Lambda's managed Java runtime starts it: a fresh JVM running the
 * runtime interface client (com.amazonaws.services.lambda.runtime.api.client.AWSLambda) with the function
 * jar on the class path, against a minimal Runtime API served here. Times, from process start: init done
 * (the first GET /next) and the first answer (its POST /response), and the CPU time the JVM used until then. One JSON line per run on stdout.
 *
 * <pre>java ColdStart.java &lt;runs&gt; &lt;memoryMb&gt; &lt;class path&gt; &lt;handler&gt; &lt;event.json&gt; [NAME=VALUE ...]</pre>
 *
 * A single-file program (no dependencies) so that it measures the function jar and nothing of a host.
 */
public final class ColdStart {
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: java ColdStart.java <runs> <memoryMb> <class path> <handler> <event.json> [NAME=VALUE ...]");
            System.exit(2);
        }
        int runs = Integer.parseInt(args[0]);
        int memoryMb = Integer.parseInt(args[1]);
        String classPath = args[2];
        String handler = args[3];
        byte[] event = Files.readAllBytes(Path.of(args[4]));
        Map<String, String> env = new LinkedHashMap<>();
        for (String kv : Arrays.copyOfRange(args, 5, args.length)) {
            int eq = kv.indexOf('=');
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        for (int i = 0; i < runs; i++) {
            System.out.println(once(memoryMb, classPath, handler, event, env));
        }
    }

    private static String once(int memoryMb, String classPath, String handler, byte[] event, Map<String, String> env) throws Exception {
        CompletableFuture<Long> initDone = new CompletableFuture<>();
        CompletableFuture<String> answer = new CompletableFuture<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        String requestId = "cold-start-" + System.nanoTime();
        boolean[] served = {false};
        server.createContext("/2018-06-01/runtime/invocation/next", ex -> {
            initDone.complete(System.nanoTime());
            synchronized (served) {
                if (served[0]) {
                    return; // the second /next parks until the process is killed
                }
                served[0] = true;
            }
            // The client's native part needs every one of these headers (it crashes without Content-Type).
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", requestId);
            ex.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms", String.valueOf(System.currentTimeMillis() + 60_000));
            ex.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:bench");
            ex.getResponseHeaders().set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
            reply(ex, 200, event);
        });
        server.createContext("/2018-06-01/runtime/invocation/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            answer.complete((path.endsWith("/error") ? "error: " : "") + body);
            reply(ex, 202, "{}".getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/2018-06-01/runtime/init/error", ex -> {
            answer.complete("init error: " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(ex, 202, "{}".getBytes(StandardCharsets.UTF_8));
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        // The flags of Lambda's managed Java runtime (its bootstrap's JAVA_TOOL_OPTIONS).
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + memoryMb * 85 / 100 + "m", "-XX:+UseSerialGC", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-cp", classPath, RIC_MAIN, handler));
        // The function's output goes to a file, shown when it dies before answering (a class left out of a
        // minimized jar shows up here as a NoClassDefFoundError).
        Path log = Files.createTempFile("cold-start-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + server.getAddress().getPort());
        pb.environment().put("_HANDLER", handler);
        pb.environment().put("TZ", ":UTC");
        long t0 = System.nanoTime();
        Process p = pb.start();
        String body;
        long init;
        long first;
        long cpuMs;
        try {
            try {
                body = CompletableFuture.anyOf(answer, p.onExit().thenApply(x -> "process exited " + x.exitValue())).get(120, TimeUnit.SECONDS).toString();
            } catch (java.util.concurrent.TimeoutException e) {
                body = "process exited: no answer in 120 s"; // one starved run must not end the whole bench
            }
            first = System.nanoTime();
            init = initDone.isDone() ? initDone.get() : first;
            // CPU time (all threads) spent up to the first answer: on a shared, loaded machine it varies far
            // less than the wall clock, which also counts time spent waiting for a core.
            cpuMs = p.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
        } finally {
            p.destroyForcibly().waitFor();
            server.stop(0);
        }
        if (body.startsWith("process exited") || body.startsWith("init error")) {
            List<String> lines = Files.readAllLines(log);
            System.err.println(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
        Files.deleteIfExists(log);
        String answerText = body.length() > 160 ? body.substring(0, 160) : body;
        return "{\"initMs\":" + (init - t0) / 1_000_000 + ",\"firstAnswerMs\":" + (first - t0) / 1_000_000 + ",\"cpuMs\":" + cpuMs + ",\"answer\":\""
                + answerText.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"}";
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
