package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.durablejobs.core.config.ConfigException;
import io.durablejobs.core.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The fetcher over real HTTP against a local stand-in for Secrets Manager and for Lambda's container
 * credentials endpoint, answering as AWS does. Every request is checked as AWS would: its target, content
 * type, body, session token, and its SigV4 signature recomputed with the AWS SDK's own signer.
 */
class SecretsManagerFetcherIT {
    static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final String REGION = "eu-west-1";
    static final String SNAP_KEY_ID = "ASIASNAPSTARTEXAMPLE";
    static final String SNAP_SECRET = "snap/Secret+Access+Key0000000000000000000";
    static final String SNAP_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE//session+token==";
    static final String CONTAINER_AUTH = "container-auth-token-1234";

    record Seen(String method, String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    HttpServer server;
    ExecutorService pool;
    final List<Seen> secretRequests = new CopyOnWriteArrayList<>();
    final List<Seen> credentialRequests = new CopyOnWriteArrayList<>();
    final Map<String, String> secrets = new HashMap<>(Map.of(
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:keys-AbCdEf", "{\"acme\":\"key-acme-aaaaaaaaaaaa\"}",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redis-AbCdEf", "{\"username\":\"jobs-app\",\"password\":\"r3dis-pw\"}"));
    /** Per request to Secrets Manager, in order: an answer to give instead of the secret (status, error type) or null. */
    final List<String[]> scriptedErrors = new CopyOnWriteArrayList<>();
    volatile long secretsDelayMs;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pool = Executors.newCachedThreadPool();
        server.setExecutor(pool);
        server.createContext("/", this::secretsManager);
        server.createContext("/2021-04-23/credentials", this::containerCredentials);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        pool.shutdownNow();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static Seen record(HttpExchange ex) throws IOException {
        Map<String, String> h = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), String.join(",", v)));
        return new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), h, ex.getRequestBody().readAllBytes());
    }

    static void answer(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
        byte[] out = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    void containerCredentials(HttpExchange ex) throws IOException {
        Seen s = record(ex);
        credentialRequests.add(s);
        if (!CONTAINER_AUTH.equals(s.header("Authorization"))) {
            answer(ex, 401, "{\"Code\":\"Unauthorized\"}", Map.of("Content-Type", "application/json"));
            return;
        }
        answer(ex, 200, "{\"AccessKeyId\":\"" + SNAP_KEY_ID + "\",\"SecretAccessKey\":\"" + SNAP_SECRET + "\",\"Token\":\"" + SNAP_TOKEN
                + "\",\"Expiration\":\"2099-01-01T00:00:00Z\"}", Map.of("Content-Type", "application/json"));
    }

    void secretsManager(HttpExchange ex) throws IOException {
        Seen s = record(ex);
        secretRequests.add(s);
        if (secretsDelayMs > 0) {
            try {
                Thread.sleep(secretsDelayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, String> json = Map.of("Content-Type", "application/x-amz-json-1.1");
        if (!scriptedErrors.isEmpty()) {
            String[] e = scriptedErrors.remove(0);
            if (e != null) {
                answer(ex, Integer.parseInt(e[0]), "{\"__type\":\"" + e[1] + "\",\"message\":\"scripted\"}", json);
                return;
            }
        }
        String arn = Json.MAPPER.readTree(s.body()).path("SecretId").asText();
        String value = secrets.get(arn);
        if (value == null) {
            // As AWS answers it: the type in a header and in the body.
            answer(ex, 400, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}",
                    Map.of("Content-Type", "application/x-amz-json-1.1",
                            "x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.secretsmanager/"));
            return;
        }
        answer(ex, 200, Json.MAPPER.createObjectNode().put("ARN", arn).put("Name", "n").put("SecretString", value)
                .put("VersionId", "v1").toString(), json);
    }

    /** What the AWS SDK's signer makes of the same request, at the time the request says it was signed. */
    static String sdkAuthorization(Seen s, String keyId, String secret, String token) {
        Instant at = Instant.from(AMZ_DATE.parse(s.header("X-Amz-Date")));
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(s.method()))
                .uri(URI.create("http://" + s.header("Host") + s.path()))
                .putHeader("Host", s.header("Host"))
                .putHeader("Content-Type", s.header("Content-Type"))
                .putHeader("X-Amz-Target", s.header("X-Amz-Target"))
                .build();
        // Not given the request's x-amz-content-sha256: the SDK hashes the body itself.
        AwsCredentialsIdentity identity = token == null ? AwsCredentialsIdentity.create(keyId, secret)
                : AwsSessionCredentialsIdentity.create(keyId, secret, token);
        SignRequest<AwsCredentialsIdentity> sign = SignRequest.builder(identity).request(request)
                .payload(ContentStreamProvider.fromByteArray(s.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))
                .build();
        return AwsV4HttpSigner.create().sign(sign).request().firstMatchingHeader("Authorization").orElseThrow();
    }

    Map<String, String> snapStartEnv(Path tokenFile) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", REGION);
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", base());
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:1"); // the specific one wins
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", base() + "/2021-04-23/credentials");
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString());
        env.put("JOBS_API_KEYS_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:keys-AbCdEf");
        env.put("JOBS_REDIS_URI", "rediss://cache.example:6379");
        env.put("JOBS_REDIS_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redis-AbCdEf");
        return env;
    }

    @Test
    void underSnapStart_theContainerCredentialsSignEachGetSecretValue(@TempDir Path dir) throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), CONTAINER_AUTH + "\n");
        Map<String, String> out = SecretsManagerFetcher.resolve(snapStartEnv(tokenFile));

        assertThat(out.get("JOBS_API_KEYS")).isEqualTo("acme=key-acme-aaaaaaaaaaaa");
        assertThat(out.get("JOBS_REDIS_URI")).isEqualTo("rediss://jobs-app:r3dis-pw@cache.example:6379");
        assertThat(credentialRequests).as("credentials read once for both secrets").hasSize(1);
        assertThat(credentialRequests.get(0).method()).isEqualTo("GET");
        assertThat(secretRequests).hasSize(2);
        for (Seen s : secretRequests) {
            assertThat(s.method()).isEqualTo("POST");
            assertThat(s.path()).isEqualTo("/");
            assertThat(s.header("X-Amz-Target")).isEqualTo("secretsmanager.GetSecretValue");
            assertThat(s.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
            JsonNode body = Json.MAPPER.readTree(s.body());
            assertThat(body.size()).isEqualTo(1);
            assertThat(body.path("SecretId").asText()).startsWith("arn:aws:secretsmanager:eu-west-1:123456789012:secret:");
            assertThat(s.header("X-Amz-Security-Token")).isEqualTo(SNAP_TOKEN);
            String auth = s.header("Authorization");
            assertThat(auth).startsWith("AWS4-HMAC-SHA256 Credential=" + SNAP_KEY_ID + "/" + s.header("X-Amz-Date").substring(0, 8)
                    + "/" + REGION + "/secretsmanager/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target, ");
            assertThat(auth).isEqualTo(sdkAuthorization(s, SNAP_KEY_ID, SNAP_SECRET, SNAP_TOKEN));
            // The check can fail: another secret key signs differently.
            assertThat(auth).isNotEqualTo(sdkAuthorization(s, SNAP_KEY_ID, SNAP_SECRET + "x", SNAP_TOKEN));
        }
    }

    @Test
    void aWrongContainerToken_isRefused_andNamedWithoutIt() {
        Map<String, String> env = snapStartEnv(Path.of("unused"));
        env.remove("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "not-the-token");
        assertThatThrownBy(() -> SecretsManagerFetcher.resolve(env)).isInstanceOfSatisfying(ConfigException.class, e ->
                assertThat(e.getMessage()).contains("JOBS_API_KEYS_SECRET_ARN: AWS credentials: the container credentials endpoint answered 401")
                        .doesNotContain("not-the-token"));
        assertThat(secretRequests).isEmpty();
    }

    @Test
    void withKeyVariables_awsErrors_nameTheSettingAndTheErrorType_neverTheSecret() {
        secrets.put("arn:aws:secretsmanager:eu-west-1:123456789012:secret:bad-AbCdEf", "{\"username\":\"u\",\"pass\":\"hunter2\"}");
        Map<String, String> env = new HashMap<>(Map.of(
                "AWS_REGION", REGION, "AWS_ENDPOINT_URL", base(),
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                "JOBS_API_KEYS_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:gone-AbCdEf",
                "JOBS_REDIS_URI", "rediss://cache.example:6379",
                "JOBS_REDIS_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:bad-AbCdEf",
                "JOBS_WEBHOOK_SIGNING_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:denied-AbCdEf"));
        // The webhook secret's read is denied, its type in the body only (as an older protocol answers).
        scriptedErrors.addAll(java.util.Arrays.asList(null, null, new String[] {"400", "com.amazonaws.secretsmanager#AccessDeniedException"}));
        assertThatThrownBy(() -> SecretsManagerFetcher.resolve(env)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.problems()).hasSize(3);
            assertThat(e.getMessage())
                    .contains("JOBS_API_KEYS_SECRET_ARN: Secrets Manager answered 400 ResourceNotFoundException")
                    .contains("JOBS_REDIS_SECRET_ARN: the secret has no password")
                    .contains("JOBS_WEBHOOK_SIGNING_SECRET_ARN: Secrets Manager answered 400 AccessDeniedException")
                    .doesNotContain("hunter2").doesNotContain("wJalrXUtnFEMI").doesNotContain("can't find");
        });
        assertThat(secretRequests).hasSize(3);
        Seen first = secretRequests.get(0);
        assertThat(first.header("X-Amz-Security-Token")).isNull();
        assertThat(first.header("Authorization")).contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target,")
                .isEqualTo(sdkAuthorization(first, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null));
    }

    @Test
    void throttling_isTriedAgain_aClientErrorIsNot() {
        Map<String, String> env = Map.of("AWS_REGION", REGION, "AWS_ENDPOINT_URL", base(),
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret",
                "JOBS_API_KEYS_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:keys-AbCdEf");
        scriptedErrors.add(new String[] {"400", "ThrottlingException"});
        scriptedErrors.add(new String[] {"503", "InternalServiceError"});
        assertThat(SecretsManagerFetcher.resolve(env).get("JOBS_API_KEYS")).isEqualTo("acme=key-acme-aaaaaaaaaaaa");
        assertThat(secretRequests).hasSize(3);

        secretRequests.clear();
        scriptedErrors.add(new String[] {"400", "InvalidRequestException"});
        assertThatThrownBy(() -> SecretsManagerFetcher.resolve(env)).hasMessageContaining("400 InvalidRequestException");
        assertThat(secretRequests).hasSize(1);
    }

    @Test
    void aSecretsManagerThatDoesNotAnswer_failsTheStart_withinTheTimeout() {
        secretsDelayMs = 10_000;
        Map<String, String> env = Map.of("AWS_REGION", REGION, "AWS_ENDPOINT_URL", base(),
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret",
                "JOBS_API_KEYS_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:keys-AbCdEf");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> SecretsManagerFetcher.resolve(env, Duration.ofMillis(400)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("JOBS_API_KEYS_SECRET_ARN: Secrets Manager did not answer within 400 ms");
        // Well before the stand-in would have answered, with room for a loaded machine.
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(5_000));
        assertThat(secretRequests).hasSize(1);
    }

    @Test
    void nothingListening_isNamed() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> env = Map.of("AWS_REGION", REGION, "AWS_ENDPOINT_URL", "http://127.0.0.1:" + port,
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret",
                "JOBS_API_KEYS_SECRET_ARN", "arn:x");
        assertThatThrownBy(() -> SecretsManagerFetcher.resolve(env)).hasMessageContaining("JOBS_API_KEYS_SECRET_ARN: Secrets Manager is unreachable (ConnectException)");
    }

    @Test
    void noCredentialsAtAll_isNamed() {
        AtomicInteger before = new AtomicInteger(secretRequests.size());
        assertThatThrownBy(() -> SecretsManagerFetcher.resolve(Map.of("AWS_REGION", REGION, "AWS_ENDPOINT_URL", base(),
                "JOBS_API_KEYS_SECRET_ARN", "arn:x"))).hasMessageContaining("JOBS_API_KEYS_SECRET_ARN: AWS credentials: none in the environment");
        assertThat(secretRequests).hasSize(before.get());
    }
}
