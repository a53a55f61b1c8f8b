package io.durablejobs.core.api;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** W3C Trace Context {@code traceparent}: keep a valid incoming one, else start a trace. */
public final class Traceparent {
    private static final Pattern VALID = Pattern.compile("^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Traceparent() {
    }

    public static String continueOrStart(String incoming) {
        if (incoming != null && VALID.matcher(incoming.trim()).matches()) {
            return incoming.trim();
        }
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(span);
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(span) + "-01";
    }

    public static String traceId(String traceparent) {
        return traceparent != null && traceparent.length() >= 35 ? traceparent.substring(3, 35) : null;
    }
}
