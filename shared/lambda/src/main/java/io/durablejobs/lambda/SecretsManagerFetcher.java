package io.durablejobs.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads secrets with Secrets Manager's GetSecretValue: at init, and again after each SnapStart restore (the
 * http functions' hooks call {@link #resolve} anew). One signed POST per secret over the JDK's HTTP client
 * (JSON 1.1 protocol: {@code X-Amz-Target: secretsmanager.GetSecretValue}, body {@code {"SecretId": arn}},
 * answer {@code {"SecretString": ...}}), signed with {@link AwsSigV4} and the credentials Lambda gives the
 * function ({@link AwsCredentials}).
 *
 * <p>Not the AWS SDK's client: for these few requests it carried the SDK's core, regions, protocols and an
 * HTTP client into every function jar, 4.8 MB of the latency-critical submit function's 17.6 MB; the functions
 * that use S3 or CloudWatch still have the SDK for those.
 *
 * <p>Endpoint: {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, else {@code AWS_ENDPOINT_URL} (LocalStack), else
 * {@code https://secretsmanager.<AWS_REGION>.amazonaws.com} ({@code amazonaws.com.cn} in the China regions).
 * TLS peers are verified by the JDK's defaults (trust store and host name). A request has
 * {@link #CONNECT_TIMEOUT} to connect and {@link #REQUEST_TIMEOUT} to be answered; a throttled, failed (5xx) or
 * refused connection is tried up to {@link #ATTEMPTS} times. Failures become the setting's problem in the
 * start-up {@code ConfigException}, naming the AWS error type or the timeout, never a secret's content.
 */
public final class SecretsManagerFetcher {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(4);
    static final int ATTEMPTS = 3;
    static final String SERVICE = "secretsmanager";
    private static final Pattern ERROR_TYPE = Pattern.compile("[A-Za-z0-9_.]{1,100}");

    private final Map<String, String> env;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;
    private final URI endpoint;
    private final String region;
    private AwsCredentials credentials;

    private SecretsManagerFetcher(Map<String, String> env, HttpClient http, Duration requestTimeout, Clock clock) {
        this.env = env;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.region = firstSet(env, "AWS_REGION", "AWS_DEFAULT_REGION");
        this.endpoint = endpoint(env);
    }

    /** The function's environment with every {@code *_SECRET_ARN} resolved; unchanged when there is none. */
    public static Map<String, String> resolve(Map<String, String> env) {
        return resolve(env, REQUEST_TIMEOUT);
    }

    static Map<String, String> resolve(Map<String, String> env, Duration requestTimeout) {
        boolean any = env.keySet().stream().anyMatch(k -> k.startsWith("JOBS_") && k.endsWith("_SECRET_ARN") && !env.get(k).isBlank());
        if (!any) {
            return env;
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build()) {
            SecretsManagerFetcher fetcher;
            try {
                fetcher = new SecretsManagerFetcher(env, http, requestTimeout, Clock.systemUTC());
            } catch (SecretReadException e) {
                // No endpoint (no region): every secret is unreadable for the same reason.
                return SecretSettings.resolve(env, arn -> {
                    throw e;
                });
            }
            return SecretSettings.resolve(env, fetcher::secretString);
        }
    }

    /** Where GetSecretValue goes; see the class comment. */
    static URI endpoint(Map<String, String> env) {
        String override = firstSet(env, "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL");
        if (override != null) {
            URI u;
            try {
                u = URI.create(override.strip());
            } catch (IllegalArgumentException e) {
                throw new SecretReadException("the Secrets Manager endpoint is not a URL");
            }
            if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
                throw new SecretReadException("the Secrets Manager endpoint must be an http(s) URL with a host");
            }
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return u.resolve(path);
        }
        String region = firstSet(env, "AWS_REGION", "AWS_DEFAULT_REGION");
        if (region == null) {
            throw new SecretReadException("AWS_REGION is not set");
        }
        if (!region.matches("[a-z0-9-]{1,40}")) {
            throw new SecretReadException("AWS_REGION is not a region name");
        }
        return URI.create("https://secretsmanager." + region + ".amazonaws.com" + (region.startsWith("cn-") ? ".cn" : "") + "/");
    }

    /** GetSecretValue's {@code SecretString} for {@code arn} (an ARN or a name). */
    String secretString(String arn) {
        if (region == null) {
            throw new SecretReadException("AWS_REGION is not set (it is part of the request's signature)");
        }
        if (credentials == null) {
            credentials = AwsCredentials.resolve(env, http, requestTimeout);
        }
        byte[] body = Json.MAPPER.createObjectNode().put("SecretId", arn).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SecretReadException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                pause(100L << (attempt - 2));
            }
            HttpResponse<byte[]> answer;
            try {
                answer = http.send(signedRequest(body), HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpConnectTimeoutException e) {
                // Neither is tried again: the function's init has a few seconds in all.
                throw new SecretReadException("Secrets Manager did not accept a connection within " + CONNECT_TIMEOUT.toMillis() + " ms");
            } catch (HttpTimeoutException e) {
                throw new SecretReadException("Secrets Manager did not answer within " + requestTimeout.toMillis() + " ms");
            } catch (IOException e) {
                last = new SecretReadException("Secrets Manager is unreachable (" + e.getClass().getSimpleName() + ")");
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SecretReadException("interrupted while reading the secret");
            }
            if (answer.statusCode() == 200) {
                return secretStringOf(answer.body());
            }
            String type = errorType(answer);
            last = new SecretReadException("Secrets Manager answered " + answer.statusCode() + " " + type);
            boolean retryable = answer.statusCode() >= 500 || answer.statusCode() == 429 || type.contains("Throttling");
            if (!retryable) {
                throw last;
            }
        }
        throw last;
    }

    private HttpRequest signedRequest(byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", hostHeader(endpoint));
        headers.put("Content-Type", "application/x-amz-json-1.1");
        headers.put("X-Amz-Target", "secretsmanager.GetSecretValue");
        // The body's hash as a signed header too, as the SDK's signer sends it.
        headers.put("X-Amz-Content-Sha256", AwsSigV4.hex(AwsSigV4.sha256(body)));
        if (credentials.sessionToken() != null) {
            headers.put("X-Amz-Security-Token", credentials.sessionToken());
        }
        AwsSigV4.Signed signed = AwsSigV4.sign("POST", endpoint, headers, body, credentials, region, SERVICE, clock.instant());
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("X-Amz-Date", signed.amzDate())
                .header("Authorization", signed.authorization());
        // Host is the HTTP client's to send (the same value, see hostHeader); the others go as signed.
        headers.forEach((k, v) -> {
            if (!k.equals("Host")) {
                b.header(k, v);
            }
        });
        return b.build();
    }

    /** The Host header the JDK's client sends: the host, with the port unless it is the scheme's default. */
    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("https".equals(uri.getScheme()) && port == 443) || ("http".equals(uri.getScheme()) && port == 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    private static String secretStringOf(byte[] body) {
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new SecretReadException("Secrets Manager answered something other than JSON");
        }
        JsonNode s = answer == null ? null : answer.get("SecretString");
        if (s == null || !s.isTextual()) {
            throw new SecretReadException("the secret has no SecretString (a binary secret is not read)");
        }
        return s.asText();
    }

    /** The error's type from {@code x-amzn-ErrorType} or the body's {@code __type}, without prefixes or suffixes. */
    static String errorType(HttpResponse<byte[]> answer) {
        String type = answer.headers().firstValue("x-amzn-ErrorType").orElse(null);
        if (type != null) {
            int colon = type.indexOf(':');
            type = colon < 0 ? type : type.substring(0, colon);
        } else {
            try {
                JsonNode body = Json.MAPPER.readTree(answer.body());
                type = body == null ? null : body.path("__type").asText(null);
            } catch (IOException e) {
                type = null;
            }
            if (type != null) {
                type = type.substring(type.lastIndexOf('#') + 1);
            }
        }
        return type != null && ERROR_TYPE.matcher(type.strip()).matches() ? type.strip() : "(no error type)";
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SecretReadException("interrupted while reading the secret");
        }
    }

    private static String firstSet(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
