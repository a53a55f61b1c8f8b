package io.durablejobs.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The function's AWS credentials, as Lambda hands them over (a subset of the SDK's default chain: the only
 * sources a function has).
 * <ol>
 *   <li>{@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}: a function
 *       without SnapStart (and LocalStack, Docker Compose);
 *   <li>the container credentials endpoint, {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} (or ECS's
 *       {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}), called with the header {@code Authorization} set to
 *       the contents of {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} or else to
 *       {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}: a SnapStart function, where Lambda sets no key variables
 *       (keys in a snapshot would outlive their session). It answers
 *       {@code {"AccessKeyId","SecretAccessKey","Token","Expiration"}}.
 * </ol>
 * Plain http to the endpoint is allowed only to a loopback address or the ECS/EKS link-local agents, as the
 * SDK does: the token must not travel the network in clear. Credentials are read anew on every call (after a
 * SnapStart restore too); neither they nor the token are ever logged or put in an exception's message.
 */
record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    /** The agents' link-local addresses that ECS and EKS Pod Identity serve credentials on over plain http. */
    private static final Set<String> CONTAINER_AGENTS = Set.of("169.254.170.2", "169.254.170.23", "fd00:ec2:0:0:0:0:0:23");

    @Override
    public String toString() {
        return "AwsCredentials[" + (sessionToken == null ? "long-term" : "session") + "]";
    }

    /** @throws SecretReadException naming the missing or failing source, never a credential */
    static AwsCredentials resolve(Map<String, String> env, HttpClient http, Duration timeout) {
        String id = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
        String secret = blankToNull(env.get("AWS_SECRET_ACCESS_KEY"));
        if (id != null || secret != null) {
            if (id == null || secret == null) {
                throw new SecretReadException("AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
            }
            return new AwsCredentials(id, secret, blankToNull(env.get("AWS_SESSION_TOKEN")));
        }
        URI endpoint = containerEndpoint(env);
        if (endpoint == null) {
            throw new SecretReadException("AWS credentials: none in the environment (neither AWS_ACCESS_KEY_ID nor "
                    + "AWS_CONTAINER_CREDENTIALS_FULL_URI is set)");
        }
        return fromContainerEndpoint(endpoint, authorizationToken(env), http, timeout);
    }

    static URI containerEndpoint(Map<String, String> env) {
        String full = blankToNull(env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
        String relative = blankToNull(env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"));
        URI uri;
        try {
            uri = full != null ? URI.create(full) : relative != null ? URI.create("http://169.254.170.2" + relative) : null;
        } catch (IllegalArgumentException e) {
            throw new SecretReadException("AWS credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URI");
        }
        if (uri == null) {
            return null;
        }
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new SecretReadException("AWS credentials: the container credentials endpoint must be an http(s) URL with a host");
        }
        if ("http".equals(uri.getScheme()) && !allowedPlainHost(uri.getHost())) {
            throw new SecretReadException("AWS credentials: plain http to the container credentials endpoint is allowed "
                    + "only to a loopback address or the container agent, not " + uri.getHost());
        }
        return uri;
    }

    private static boolean allowedPlainHost(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        try {
            InetAddress[] all = InetAddress.getAllByName(bare);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress() && !CONTAINER_AGENTS.contains(a.getHostAddress())) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The token file wins over the variable (the token in it can be replaced while the process runs). */
    static String authorizationToken(Map<String, String> env) {
        String file = blankToNull(env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"));
        String token;
        if (file != null) {
            try {
                token = Files.readString(Path.of(file)).strip();
            } catch (IOException | RuntimeException e) {
                throw new SecretReadException("AWS credentials: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE cannot be read ("
                        + e.getClass().getSimpleName() + ")");
            }
        } else {
            token = blankToNull(env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
        }
        if (token != null && (token.indexOf('\r') >= 0 || token.indexOf('\n') >= 0)) {
            throw new SecretReadException("AWS credentials: the container authorization token spans lines");
        }
        return token;
    }

    private static AwsCredentials fromContainerEndpoint(URI endpoint, String token, HttpClient http, Duration timeout) {
        HttpRequest.Builder get = HttpRequest.newBuilder(endpoint).timeout(timeout).header("Accept", "application/json").GET();
        if (token != null) {
            get.header("Authorization", token);
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(get.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new SecretReadException("AWS credentials: the container credentials endpoint did not answer within "
                    + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new SecretReadException("AWS credentials: the container credentials endpoint is unreachable ("
                    + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SecretReadException("AWS credentials: interrupted while reading them");
        }
        if (answer.statusCode() != 200) {
            throw new SecretReadException("AWS credentials: the container credentials endpoint answered " + answer.statusCode());
        }
        try {
            JsonNode c = Json.MAPPER.readTree(answer.body());
            String id = c == null ? null : blankToNull(c.path("AccessKeyId").asText(null));
            String secret = c == null ? null : blankToNull(c.path("SecretAccessKey").asText(null));
            if (id == null || secret == null) {
                throw new SecretReadException("AWS credentials: the container credentials endpoint answered without AccessKeyId or SecretAccessKey");
            }
            return new AwsCredentials(id, secret, blankToNull(c.path("Token").asText(null)));
        } catch (IOException e) {
            throw new SecretReadException("AWS credentials: the container credentials endpoint answered something other than JSON");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
