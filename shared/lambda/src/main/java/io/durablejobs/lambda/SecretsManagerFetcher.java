package io.durablejobs.lambda;

import java.net.URI;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * Reads secrets with GetSecretValue, at init only. Honours {@code AWS_ENDPOINT_URL} (LocalStack). The
 * client is closed after use: secrets are read once per execution environment.
 */
public final class SecretsManagerFetcher {
    private SecretsManagerFetcher() {
    }

    public static <T> T withFetcher(String endpointOverride, Function<Function<String, String>, T> use) {
        SecretsManagerClientBuilder b = SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (endpointOverride != null && !endpointOverride.isBlank()) {
            b.endpointOverride(URI.create(endpointOverride));
        }
        try (SecretsManagerClient client = b.build()) {
            return use.apply(arn -> client.getSecretValue(GetSecretValueRequest.builder().secretId(arn).build()).secretString());
        }
    }

    /** The function's environment with every {@code *_SECRET_ARN} resolved; unchanged when there is none. */
    public static Map<String, String> resolve(Map<String, String> env) {
        boolean any = env.keySet().stream().anyMatch(k -> k.startsWith("JOBS_") && k.endsWith("_SECRET_ARN") && !env.get(k).isBlank());
        if (!any) {
            return env;
        }
        return withFetcher(env.get("AWS_ENDPOINT_URL"), fetch -> SecretSettings.resolve(env, fetch));
    }
}
