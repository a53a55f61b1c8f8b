package io.durablejobs.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the dashboard shows of a payload: every value under a key that looks like it holds a secret (a
 * webhook's {@code Authorization} header, an {@code apiKey}, a {@code password}, a {@code client_secret}, an
 * {@code accessToken}) replaced by a mask, at any depth. A screen is seen and screenshotted by more people
 * than the API key's holder; the API itself still returns payloads whole to that holder.
 */
final class DashboardMask {
    static final String MASK = "••••••";
    /** Matched anywhere in the key, case-insensitively: {@code X-Api-Key}, {@code refresh_token}, {@code DB_PASSWORD}. */
    static final Pattern SECRET_KEY = Pattern.compile("token|secret|password|authorization|api[-_]?key", Pattern.CASE_INSENSITIVE);

    private DashboardMask() {
    }

    /** A masked copy of {@code node} (null stays null). */
    static JsonNode mask(JsonNode node) {
        if (node == null) {
            return null;
        }
        JsonNode copy = node.deepCopy();
        maskInPlace(copy);
        return copy;
    }

    private static void maskInPlace(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (String key : o.properties().stream().map(Map.Entry::getKey).toList()) {
                if (SECRET_KEY.matcher(key).find()) {
                    o.set(key, TextNode.valueOf(MASK));
                } else {
                    maskInPlace(o.get(key));
                }
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(DashboardMask::maskInPlace);
        }
    }
}
