package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.durablejobs.core.config.ConfigException;
import io.durablejobs.core.config.JobsConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SecretSettingsTest {
    static final Map<String, String> SECRETS = Map.of(
            "arn:mq", "{\"username\":\"jobs app\",\"password\":\"p@ss/w:rd\"}",
            "arn:redis", "{\"username\":\"jobs-app\",\"password\":\"r3dis\"}",
            "arn:keys", "{\"acme\":\"key-acme-aaaaaaaaaaaa\",\"globex\":\"key-globex-bbbbbbbbbb\"}",
            "arn:sign", "{\"key\":\"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}");

    @Test
    void everySecretArn_becomesThePlainSettingItStandsFor() {
        Map<String, String> env = Map.of(
                "JOBS_RABBITMQ_URI", "amqps://b-1.mq.us-east-1.amazonaws.com:5671/%2f",
                "JOBS_RABBITMQ_SECRET_ARN", "arn:mq",
                "JOBS_REDIS_URI", "rediss://cache.serverless.use1.cache.amazonaws.com:6379",
                "JOBS_REDIS_SECRET_ARN", "arn:redis",
                "JOBS_API_KEYS_SECRET_ARN", "arn:keys",
                "JOBS_WEBHOOK_SIGNING_SECRET_ARN", "arn:sign");
        Map<String, String> out = SecretSettings.resolve(env, SECRETS::get);
        assertThat(out.get("JOBS_RABBITMQ_URI")).isEqualTo("amqps://jobs%20app:p%40ss%2Fw%3Ard@b-1.mq.us-east-1.amazonaws.com:5671/%2f");
        assertThat(out.get("JOBS_REDIS_URI")).isEqualTo("rediss://jobs-app:r3dis@cache.serverless.use1.cache.amazonaws.com:6379");
        assertThat(out.get("JOBS_WEBHOOK_SIGNING_SECRET")).isEqualTo("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        JobsConfig cfg = JobsConfig.from(out);
        assertThat(cfg.apiKeys().tenantOf("key-acme-aaaaaaaaaaaa")).contains("acme");
        assertThat(cfg.apiKeys().tenantOf("key-globex-bbbbbbbbbb")).contains("globex");
    }

    @Test
    void aRedisSecretWithAnEmptyPassword_leavesTheUriWithoutCredentials() {
        Map<String, String> env = Map.of("JOBS_REDIS_URI", "redis://redis:6379", "JOBS_REDIS_SECRET_ARN", "arn:redis-open");
        assertThat(SecretSettings.resolve(env, arn -> "{\"username\":\"default\",\"password\":\"\"}").get("JOBS_REDIS_URI"))
                .isEqualTo("redis://redis:6379");
    }

    /** Docker Compose's LocalStack seeds these secrets; the host reads them through the same code as on AWS. */
    @Test
    void theSecretsLocalStackIsSeededWith_areAccepted() throws Exception {
        String script = java.nio.file.Files.readString(java.nio.file.Path.of("../../localstack/init/10-jobs.sh"));
        java.util.function.Function<String, String> seeded = name -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("secret \"\\$prefix/" + name + "\" '([^']*)'").matcher(script);
            assertThat(m.find()).as("seed of " + name).isTrue();
            return m.group(1);
        };
        Map<String, String> secrets = Map.of("arn:mq", seeded.apply("rabbitmq"), "arn:redis", seeded.apply("redis"),
                "arn:sign", seeded.apply("webhook-signing"));
        Map<String, String> env = Map.of(
                "JOBS_RABBITMQ_URI", "amqp://rabbitmq:5672/%2f", "JOBS_RABBITMQ_SECRET_ARN", "arn:mq",
                "JOBS_REDIS_URI", "redis://redis:6379", "JOBS_REDIS_SECRET_ARN", "arn:redis",
                "JOBS_WEBHOOK_SIGNING_SECRET_ARN", "arn:sign");
        Map<String, String> out = SecretSettings.resolve(env, secrets::get);
        assertThat(out.get("JOBS_RABBITMQ_URI")).isEqualTo("amqp://guest:guest@rabbitmq:5672/%2f");
        assertThat(out.get("JOBS_REDIS_URI")).isEqualTo("redis://redis:6379");
        assertThat(out.get("JOBS_WEBHOOK_SIGNING_SECRET")).startsWith("whsec_");
    }

    @Test
    void withoutArns_thePlainSettingsStand() {
        Map<String, String> env = Map.of("JOBS_API_KEYS", "t=key-plain-aaaaaaaaaaaa");
        assertThat(SecretSettings.resolve(env, arn -> {
            throw new AssertionError("no secret should be read");
        })).isEqualTo(env);
        assertThat(SecretsManagerFetcher.resolve(env)).isSameAs(env);
    }

    @Test
    void badSecrets_areNamed_withoutTheirContent() {
        Map<String, String> env = Map.of("JOBS_REDIS_SECRET_ARN", "arn:redis-bad", "JOBS_API_KEYS_SECRET_ARN", "arn:gone",
                "JOBS_REDIS_URI", "rediss://h:6379");
        assertThatThrownBy(() -> SecretSettings.resolve(env, arn -> {
            if (arn.equals("arn:gone")) {
                throw new IllegalStateException("AccessDenied");
            }
            return "{\"username\":\"u\",\"pass\":\"hunter2\"}";
        })).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.problems()).hasSize(2);
            assertThat(e.getMessage()).contains("JOBS_REDIS_SECRET_ARN", "no password", "JOBS_API_KEYS_SECRET_ARN").doesNotContain("hunter2");
        });
    }

    @Test
    void theRequest_isASignedGetSecretValue() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(ex.getRequestHeaders().getFirst("X-Amz-Target") + " " + body + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
            byte[] out = "{\"ARN\":\"arn:keys\",\"Name\":\"keys\",\"SecretString\":\"{\\\"acme\\\":\\\"key-acme-aaaaaaaaaaaa\\\"}\"}"
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        try {
            String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
            Map<String, String> out = SecretsManagerFetcher.resolve(Map.of("JOBS_API_KEYS_SECRET_ARN", "arn:keys", "AWS_ENDPOINT_URL", endpoint,
                    "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret"));
            assertThat(out.get("JOBS_API_KEYS")).isEqualTo("acme=key-acme-aaaaaaaaaaaa");
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0)).startsWith("secretsmanager.GetSecretValue ").contains("\"SecretId\":\"arn:keys\"")
                    .contains("auth=AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
        } finally {
            server.stop(0);
        }
    }
}
