package io.durablejobs.webhook;

import java.util.Locale;
import java.util.Set;

/**
 * Which extra request headers a payload may ask for. Names must be RFC 9110 tokens; values must fit on one
 * header line. Refused names are those the platform sets itself (the signature headers, which a caller
 * could otherwise use to forge or confuse verification) and those that change HTTP framing or the
 * connection (which would let a payload smuggle a second request or break the pooled connection).
 */
final class HeaderRules {
    static final int MAX_HEADERS = 20;
    static final int MAX_VALUE_LENGTH = 1024;
    static final String CONTENT_TYPE = "content-type";
    /** The Standard Webhooks headers the worker sets on every attempt, so a payload may not. */
    static final String ID_HEADER = "webhook-id";
    static final String TIMESTAMP_HEADER = "webhook-timestamp";
    static final String SIGNATURE_HEADER = "webhook-signature";

    private static final Set<String> REFUSED = Set.of(
            "host", "content-length", "transfer-encoding", "connection", "te", "upgrade", "keep-alive",
            "expect", "trailer",
            ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER);

    private HeaderRules() {
    }

    /** Why {@code name} may not be used, or null when it may. */
    static String nameProblem(String name) {
        if (!isToken(name)) {
            return "not a valid header name (RFC 9110 token)";
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("webhook-") && REFUSED.contains(lower)) {
            return "is set by the platform (Standard Webhooks signature)";
        }
        if (REFUSED.contains(lower) || lower.startsWith("proxy-")) {
            return "may not be set: it controls HTTP framing or the connection";
        }
        return null;
    }

    /** Why {@code value} may not be sent, or null when it may. */
    static String valueProblem(String value) {
        if (value.length() > MAX_VALUE_LENGTH) {
            return "at most " + MAX_VALUE_LENGTH + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return "must not contain CR, LF or NUL";
            }
            // Other controls are invalid field values; above 0xFF cannot be written as one header byte.
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                return "must be visible ASCII or Latin-1 text";
            }
        }
        return null;
    }

    /** RFC 9110 section 5.6.2: {@code token = 1*tchar}. */
    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
