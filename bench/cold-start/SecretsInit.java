import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What reading the secrets costs a function at init, apart from the rest of a cold start: in a fresh JVM (the
 * runtime's flags), {@code SecretsManagerFetcher.resolve} of one {@code *_SECRET_ARN} against a stand-in
 * Secrets Manager on this machine, the first time (classes loaded, client built, one signed GetSecretValue)
 * and again (what a SnapStart restore pays). The same call exists in function jars that read secrets through
 * the AWS SDK and in those that sign the request themselves, so one jar can be compared with another. The
 * stand-in runs in its own JVM ({@code serve}), so the measured process's CPU time is the client's alone.
 * The measured JVM must have {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_REGION}
 * in its environment (the SDK reads them from there). One JSON line on stdout.
 *
 * <pre>javac -cp functions/submit/target/submit-function-0.1.0-SNAPSHOT-lambda.jar -d /tmp/secretsinit bench/cold-start/SecretsInit.java
 * java -cp /tmp/secretsinit SecretsInit serve &amp;     # prints its port
 * AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 \
 *   java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp &lt;function jar&gt;:/tmp/secretsinit SecretsInit measure &lt;port&gt;</pre>
 */
public class SecretsInit {
    static final String KEYS = "{\"bench\":\"bench-key-0123456789abcdef\"}";

    static long cpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toMillis();
    }

    public static void main(String[] a) throws Exception {
        if (a.length > 0 && a[0].equals("serve")) {
            serve();
            return;
        }
        int port = Integer.parseInt(a[1]);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("JOBS_API_KEYS_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-keys");
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + port);
        long c0 = cpu();
        long t0 = System.nanoTime();
        Map<String, String> out = io.durablejobs.lambda.SecretsManagerFetcher.resolve(env);
        long t1 = System.nanoTime();
        long c1 = cpu();
        if (!"bench=bench-key-0123456789abcdef".equals(out.get("JOBS_API_KEYS"))) {
            throw new IllegalStateException("the secret was not read");
        }
        io.durablejobs.lambda.SecretsManagerFetcher.resolve(env);
        long t2 = System.nanoTime();
        System.out.printf("{\"firstMs\":%d,\"firstCpuMs\":%d,\"againMs\":%d}%n", (t1 - t0) / 1_000_000, c1 - c0, (t2 - t1) / 1_000_000);
        System.exit(0);
    }

    /** Answers every GetSecretValue with the bench's API keys, as Secrets Manager answers (JSON 1.1); prints its port. */
    static void serve() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        byte[] answer = ("{\"ARN\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-keys\",\"Name\":\"bench-keys\","
                + "\"SecretString\":\"" + KEYS.replace("\"", "\\\"") + "\",\"VersionId\":\"v1\"}").getBytes(StandardCharsets.UTF_8);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
        System.out.println(server.getAddress().getPort());
    }
}
