package io.durablejobs.lambda;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4, header form with a signed payload, for the one kind of request the functions
 * sign themselves: Secrets Manager's GetSecretValue at init.
 *
 * <p>Hand-written on the JDK's HMAC-SHA256 rather than taken from the AWS SDK. The SDK's Secrets Manager
 * client brought its core, regions, protocols and HTTP layers into every function jar (4.8 MB of the submit
 * function's 17.6 MB, kept whole because the SDK loads its parts by class name), and even its standalone
 * signer module ({@code http-auth-aws}) comes with {@code utils}, {@code checksums}, the SPI modules and
 * more, 0.73 MB of jars, for what is the few lines below. The algorithm is AWS's published one; the tests
 * check it against AWS's Signature Version 4 test-suite vectors and against the SDK's own signer.
 *
 * <p>Not covered, because GetSecretValue never needs them: unsigned or chunked payloads, S3's single path
 * encoding, query-string (presigned) signing, SigV4a.
 */
final class AwsSigV4 {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private AwsSigV4() {
    }

    /**
     * @param amzDate          the {@code X-Amz-Date} header to send
     * @param authorization    the {@code Authorization} header to send
     * @param canonicalRequest what was signed (for tests; it carries no secret, but the session token if one is signed)
     */
    record Signed(String amzDate, String authorization, String canonicalRequest, String stringToSign) {
        @Override
        public String toString() {
            return "Signed[amzDate=" + amzDate + "]";
        }
    }

    /**
     * Signs a request.
     *
     * @param headers every header to sign besides {@code x-amz-date} (added here): {@code host} must be the
     *                value the HTTP client will send; names in any case
     */
    static Signed sign(String method, URI uri, Map<String, String> headers, byte[] body, AwsCredentials credentials,
                       String region, String service, Instant at) {
        String amzDate = AMZ_DATE.format(at);
        String day = amzDate.substring(0, 8);
        TreeMap<String, String> canonical = new TreeMap<>();
        headers.forEach((k, v) -> canonical.merge(k.toLowerCase(Locale.ROOT), trimAll(v), (a, b) -> a + "," + b));
        canonical.put("x-amz-date", amzDate);
        if (!canonical.containsKey("host")) {
            throw new IllegalArgumentException("the host header must be signed");
        }
        StringBuilder headerLines = new StringBuilder();
        canonical.forEach((k, v) -> headerLines.append(k).append(':').append(v).append('\n'));
        String signedHeaders = String.join(";", canonical.keySet());
        String canonicalRequest = method + '\n'
                + canonicalPath(uri.getRawPath()) + '\n'
                + canonicalQuery(uri.getRawQuery()) + '\n'
                + headerLines + '\n'
                + signedHeaders + '\n'
                + hex(sha256(body));
        String scope = day + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = ALGORITHM + '\n' + amzDate + '\n' + scope + '\n'
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, stringToSign));
        String authorization = ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature;
        return new Signed(amzDate, authorization, canonicalRequest, stringToSign);
    }

    /** Every service but S3 encodes the (already encoded) path once more; an empty path is "/". */
    static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringJoiner out = new StringJoiner("/");
        for (String segment : rawPath.split("/", -1)) {
            out.add(encode(segment));
        }
        return out.toString();
    }

    /** Parameters sorted by encoded name, then value; each name and value decoded then encoded strictly. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String p : rawQuery.split("&")) {
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq);
            String value = eq < 0 ? "" : p.substring(eq + 1);
            params.add(new String[] {encode(decode(name)), encode(decode(value))});
        }
        params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder out = new StringBuilder();
        for (String[] p : params) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(p[0]).append('=').append(p[1]);
        }
        return out.toString();
    }

    /** RFC 3986: every byte but the unreserved characters as %XX, upper-case hex. */
    static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Leading and trailing blanks dropped, inner runs of blanks made one space. */
    private static String trimAll(String v) {
        return v.strip().replaceAll("\\s+", " ");
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }
}
