package io.durablejobs.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.config.ConfigException;
import io.durablejobs.core.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns {@code *_SECRET_ARN} settings into the plain settings they stand for, once, at init (see
 * infra/README.md, "Secrets"). Secrets never travel in plain environment variables on AWS; locally, with
 * no ARN, the plain settings are used as they are.
 *
 * <pre>
 * JOBS_RABBITMQ_SECRET_ARN         {"username","password"}  credentials of JOBS_RABBITMQ_URI
 * JOBS_REDIS_SECRET_ARN            {"username","password"}  credentials of JOBS_REDIS_URI (password "": no AUTH)
 * JOBS_API_KEYS_SECRET_ARN         {"tenant":"key",...}     JOBS_API_KEYS
 * JOBS_WEBHOOK_SIGNING_SECRET_ARN  {"key":"base64"}         JOBS_WEBHOOK_SIGNING_SECRET = whsec_ + key
 * </pre>
 */
public final class SecretSettings {
    private SecretSettings() {
    }

    /** @param fetch reads a secret's string by ARN (GetSecretValue) */
    public static Map<String, String> resolve(Map<String, String> env, Function<String, String> fetch) {
        Map<String, String> out = new HashMap<>(env);
        List<String> problems = new ArrayList<>();
        String arn;
        if ((arn = env.get("JOBS_RABBITMQ_SECRET_ARN")) != null && !arn.isBlank()) {
            withSecret(arn, fetch, problems, "JOBS_RABBITMQ_SECRET_ARN", s -> out.put("JOBS_RABBITMQ_URI",
                    withCredentials(env.getOrDefault("JOBS_RABBITMQ_URI", ""), text(s, "username"), text(s, "password"))));
        }
        if ((arn = env.get("JOBS_REDIS_SECRET_ARN")) != null && !arn.isBlank()) {
            withSecret(arn, fetch, problems, "JOBS_REDIS_SECRET_ARN", s -> {
                // An empty password is a Redis without AUTH (the Docker Compose one): the URI stays as given.
                // On AWS a missing password still fails loudly, at the first connection (NOAUTH).
                if (!presentText(s, "password").isEmpty()) {
                    out.put("JOBS_REDIS_URI", withCredentials(env.getOrDefault("JOBS_REDIS_URI", ""), text(s, "username"), text(s, "password")));
                }
            });
        }
        if ((arn = env.get("JOBS_API_KEYS_SECRET_ARN")) != null && !arn.isBlank()) {
            withSecret(arn, fetch, problems, "JOBS_API_KEYS_SECRET_ARN", s -> {
                StringBuilder keys = new StringBuilder();
                for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (keys.length() > 0) {
                        keys.append(',');
                    }
                    keys.append(e.getKey()).append('=').append(e.getValue().asText());
                }
                out.put("JOBS_API_KEYS", keys.toString());
            });
        }
        if ((arn = env.get("JOBS_WEBHOOK_SIGNING_SECRET_ARN")) != null && !arn.isBlank()) {
            withSecret(arn, fetch, problems, "JOBS_WEBHOOK_SIGNING_SECRET_ARN",
                    s -> out.put("JOBS_WEBHOOK_SIGNING_SECRET", "whsec_" + text(s, "key")));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return out;
    }

    private interface SecretUse {
        void apply(JsonNode secret);
    }

    private static void withSecret(String arn, Function<String, String> fetch, List<String> problems, String setting, SecretUse use) {
        try {
            JsonNode secret = Json.MAPPER.readTree(fetch.apply(arn));
            if (secret == null || !secret.isObject()) {
                throw new IllegalArgumentException("the secret is not a JSON object");
            }
            use.apply(secret);
        } catch (Exception e) {
            // Name the setting and the cause, never the secret's content (a read failure's message names the
            // AWS error type or the timeout only).
            problems.add(setting + ": " + (e instanceof IllegalArgumentException || e instanceof SecretReadException
                    ? e.getMessage() : e.getClass().getSimpleName()));
        }
    }

    /** The field's text, possibly empty; the field itself must be there. */
    private static String presentText(JsonNode secret, String field) {
        JsonNode v = secret.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("the secret has no " + field);
        }
        return v.asText();
    }

    private static String text(JsonNode secret, String field) {
        JsonNode v = secret.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("the secret has no " + field);
        }
        return v.asText();
    }

    /** {@code amqps://host:5671/%2f} + user/password = {@code amqps://user:password@host:5671/%2f}. */
    static String withCredentials(String uri, String user, String password) {
        URI u = URI.create(uri);
        if (u.getHost() == null) {
            throw new IllegalArgumentException("the URI it completes has no host");
        }
        String userInfo = enc(user) + ":" + enc(password);
        String port = u.getPort() < 0 ? "" : ":" + u.getPort();
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        String query = u.getRawQuery() == null ? "" : "?" + u.getRawQuery();
        return u.getScheme() + "://" + userInfo + "@" + u.getHost() + port + path + query;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
