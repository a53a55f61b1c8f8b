package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the credentials come from, and where Secrets Manager is; the container endpoint itself is SecretsManagerFetcherIT's. */
class AwsCredentialsTest {
    static final HttpClient UNUSED = null;

    @Test
    void theKeyVariables_comeFirst_withTheSessionToken() {
        AwsCredentials c = AwsCredentials.resolve(Map.of("AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "s3cr3t",
                "AWS_SESSION_TOKEN", "tok", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/creds"), UNUSED, Duration.ofSeconds(1));
        assertThat(c).isEqualTo(new AwsCredentials("AKID", "s3cr3t", "tok"));
        assertThat(AwsCredentials.resolve(Map.of("AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "s3cr3t"), UNUSED, Duration.ofSeconds(1))
                .sessionToken()).isNull();
    }

    @Test
    void halfAKeyPair_orNoSourceAtAll_isNamed_withoutTheKey() {
        assertThatThrownBy(() -> AwsCredentials.resolve(Map.of("AWS_ACCESS_KEY_ID", "AKIDHALF"), UNUSED, Duration.ofSeconds(1)))
                .isInstanceOf(SecretReadException.class).hasMessageContaining("must be set together").hasMessageNotContaining("AKIDHALF");
        assertThatThrownBy(() -> AwsCredentials.resolve(Map.of("AWS_REGION", "eu-west-1"), UNUSED, Duration.ofSeconds(1)))
                .isInstanceOf(SecretReadException.class).hasMessageContaining("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    }

    @Test
    void theTokenFile_winsOverTheTokenVariable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "from-file\n");
        assertThat(AwsCredentials.authorizationToken(Map.of("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file.toString(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable"))).isEqualTo("from-file");
        assertThat(AwsCredentials.authorizationToken(Map.of("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable"))).isEqualTo("from-variable");
        assertThat(AwsCredentials.authorizationToken(Map.of())).isNull();
        assertThatThrownBy(() -> AwsCredentials.authorizationToken(Map.of("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir.resolve("gone").toString())))
                .isInstanceOf(SecretReadException.class).hasMessageContaining("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE cannot be read");
        Files.writeString(file, "two\nlines");
        assertThatThrownBy(() -> AwsCredentials.authorizationToken(Map.of("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file.toString())))
                .isInstanceOf(SecretReadException.class).hasMessageNotContaining("two");
    }

    @Test
    void theContainerEndpoint_inClear_onlyOnLoopbackOrTheAgent() {
        assertThat(AwsCredentials.containerEndpoint(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9001/2021-04-23/credentials")))
                .isEqualTo(URI.create("http://127.0.0.1:9001/2021-04-23/credentials"));
        assertThat(AwsCredentials.containerEndpoint(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://localhost:9001/c"))).isNotNull();
        assertThat(AwsCredentials.containerEndpoint(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://[::1]:9001/c"))).isNotNull();
        assertThat(AwsCredentials.containerEndpoint(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials"))).isNotNull();
        assertThat(AwsCredentials.containerEndpoint(Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x")))
                .isEqualTo(URI.create("http://169.254.170.2/v2/credentials/x"));
        assertThat(AwsCredentials.containerEndpoint(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "https://creds.example.com/c"))).isNotNull();
        assertThatThrownBy(() -> AwsCredentials.containerEndpoint(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.0.0.7/c")))
                .isInstanceOf(SecretReadException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> AwsCredentials.containerEndpoint(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "file:///etc/passwd")))
                .isInstanceOf(SecretReadException.class);
        assertThat(AwsCredentials.containerEndpoint(Map.of())).isNull();
    }

    @Test
    void secretsManager_isTheOverride_elseTheRegionsEndpoint() {
        assertThat(SecretsManagerFetcher.endpoint(Map.of("AWS_REGION", "eu-west-1")))
                .isEqualTo(URI.create("https://secretsmanager.eu-west-1.amazonaws.com/"));
        assertThat(SecretsManagerFetcher.endpoint(Map.of("AWS_DEFAULT_REGION", "cn-north-1")))
                .isEqualTo(URI.create("https://secretsmanager.cn-north-1.amazonaws.com.cn/"));
        assertThat(SecretsManagerFetcher.endpoint(Map.of("AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", "http://localstack:4566")))
                .isEqualTo(URI.create("http://localstack:4566/"));
        assertThat(SecretsManagerFetcher.endpoint(Map.of("AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", "http://localstack:4566",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "https://vpce-1.secretsmanager.us-east-1.vpce.amazonaws.com")))
                .isEqualTo(URI.create("https://vpce-1.secretsmanager.us-east-1.vpce.amazonaws.com/"));
        assertThatThrownBy(() -> SecretsManagerFetcher.endpoint(Map.of())).isInstanceOf(SecretReadException.class).hasMessageContaining("AWS_REGION");
        assertThatThrownBy(() -> SecretsManagerFetcher.endpoint(Map.of("AWS_REGION", "x/../../evil"))).isInstanceOf(SecretReadException.class);
        assertThat(SecretsManagerFetcher.hostHeader(URI.create("https://secretsmanager.eu-west-1.amazonaws.com/"))).isEqualTo("secretsmanager.eu-west-1.amazonaws.com");
        assertThat(SecretsManagerFetcher.hostHeader(URI.create("http://127.0.0.1:4566/"))).isEqualTo("127.0.0.1:4566");
    }
}
