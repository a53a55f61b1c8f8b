package io.durablejobs.infra.stack;

import io.durablejobs.infra.model.DeploymentInputs;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * Secrets the application reads at init (never in plain environment variables):
 * API keys as {"<tenant>":"<key>",...} (a generated key for tenant "default" to start with), and the
 * webhook signing key as {"key":"<base64>"}: 32 alphanumerics are valid base64 of 24 bytes, the Standard
 * Webhooks minimum; the runtime prefixes whsec_.
 */
public final class AppSecrets extends Construct {
    private final Secret apiKeys;
    private final Secret webhookSigning;

    public AppSecrets(Construct scope, String id, DeploymentInputs in) {
        super(scope, id);
        this.apiKeys = Secret.Builder.create(this, "ApiKeys")
                .description("API keys per tenant (" + in.prefix() + "): {\"tenant\":\"key\",...}")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{}").generateStringKey("default")
                        .passwordLength(40).excludePunctuation(true).build())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.webhookSigning = Secret.Builder.create(this, "WebhookSigning")
                .description("Standard Webhooks signing key (" + in.prefix() + "): {\"key\":\"<base64>\"}")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{}").generateStringKey("key")
                        .passwordLength(32).excludePunctuation(true).build())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    public Secret apiKeys() {
        return apiKeys;
    }

    public Secret webhookSigning() {
        return webhookSigning;
    }
}
