package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The signer against AWS's Signature Version 4 test suite: its example credentials, region, service and
 * time, and for each case the request, the canonical request, the string to sign and the Authorization
 * header it publishes.
 */
class AwsSigV4Test {
    static final AwsCredentials SUITE = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    static final Instant AT = Instant.parse("2015-08-30T12:36:00Z");
    static final String SCOPE = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    static AwsSigV4.Signed sign(String method, String url, Map<String, String> headers, String body) {
        return AwsSigV4.sign(method, URI.create(url), headers, body.getBytes(StandardCharsets.UTF_8), SUITE, "us-east-1", "service", AT);
    }

    @Test
    void getVanilla() {
        AwsSigV4.Signed s = sign("GET", "https://example.amazonaws.com/", Map.of("Host", "example.amazonaws.com"), "");
        assertThat(s.amzDate()).isEqualTo("20150830T123600Z");
        assertThat(s.authorization()).isEqualTo("AWS4-HMAC-SHA256 Credential=" + SCOPE
                + ", SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    @Test
    void postVanilla() {
        AwsSigV4.Signed s = sign("POST", "https://example.amazonaws.com/", Map.of("Host", "example.amazonaws.com"), "");
        assertThat(s.canonicalRequest()).isEqualTo("POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EMPTY_SHA256);
        assertThat(s.stringToSign()).isEqualTo("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87");
        assertThat(s.authorization()).isEqualTo("AWS4-HMAC-SHA256 Credential=" + SCOPE
                + ", SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
    }

    @Test
    void postXWwwFormUrlencoded_signsTheBodyAndTheContentType() {
        AwsSigV4.Signed s = sign("POST", "https://example.amazonaws.com/",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Host", "example.amazonaws.com"), "Param1=value1");
        assertThat(s.canonicalRequest()).isEqualTo("POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
                + "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
        assertThat(s.stringToSign()).endsWith("\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281");
        assertThat(s.authorization()).isEqualTo("AWS4-HMAC-SHA256 Credential=" + SCOPE
                + ", SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
    }

    @Test
    void postVanillaQuery() {
        AwsSigV4.Signed s = sign("POST", "https://example.amazonaws.com/?Param1=value1", Map.of("Host", "example.amazonaws.com"), "");
        assertThat(s.stringToSign()).endsWith("\n9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd");
        assertThat(s.authorization()).endsWith("Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11");
    }

    @Test
    void getVanillaQueryOrderKeyCase_sortsTheParameters() {
        AwsSigV4.Signed s = sign("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1", Map.of("Host", "example.amazonaws.com"), "");
        assertThat(s.authorization()).endsWith("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }

    @Test
    void aDifferentSecret_orDay_givesADifferentSignature() {
        String base = sign("POST", "https://example.amazonaws.com/", Map.of("Host", "example.amazonaws.com"), "").authorization();
        String otherKey = AwsSigV4.sign("POST", URI.create("https://example.amazonaws.com/"), Map.of("Host", "example.amazonaws.com"),
                new byte[0], new AwsCredentials("AKIDEXAMPLE", "another", null), "us-east-1", "service", AT).authorization();
        String otherDay = AwsSigV4.sign("POST", URI.create("https://example.amazonaws.com/"), Map.of("Host", "example.amazonaws.com"),
                new byte[0], SUITE, "us-east-1", "service", AT.plusSeconds(86_400)).authorization();
        assertThat(otherKey).isNotEqualTo(base);
        assertThat(otherDay).isNotEqualTo(base).contains("/20150831/");
    }

    @Test
    void paths_areEncodedAgain_andEmptyIsSlash() {
        assertThat(AwsSigV4.canonicalPath("")).isEqualTo("/");
        assertThat(AwsSigV4.canonicalPath("/")).isEqualTo("/");
        assertThat(AwsSigV4.canonicalPath("/a b/c%20d")).isEqualTo("/a%20b/c%2520d");
        assertThat(AwsSigV4.encode("a~b-c_d.e/f=g h")).isEqualTo("a~b-c_d.e%2Ff%3Dg%20h");
    }

    @Test
    void theSignedRecord_printsNoSignatureMaterial() {
        AwsSigV4.Signed s = sign("POST", "https://example.amazonaws.com/", Map.of("Host", "example.amazonaws.com"), "");
        assertThat(s.toString()).doesNotContain("Signature", "host");
        assertThat(new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI", "tok").toString()).doesNotContain("AKIDEXAMPLE", "wJalrXUtnFEMI", "tok");
    }
}
