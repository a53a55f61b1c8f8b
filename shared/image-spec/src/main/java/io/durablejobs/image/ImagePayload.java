package io.durablejobs.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.blob.BlobKey;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.webhook.ssrf.IpLiteral;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code image.transform} payload:
 * {@code {"source": {"url"|"base64"|"blob"}, "operations": [...], "format": "png|jpeg", "quality"?, "output"?: {"blob"}}}.
 * Parsed once; {@link #validate} reports every problem by field for the submit-time 400.
 */
public record ImagePayload(ImageSource source, List<Operation> operations, OutputFormat format, int quality, String outputBlob) {
    public static final int MAX_OPERATIONS = 20;
    public static final int MAX_DIMENSION = 10_000;
    public static final int DEFAULT_QUALITY = 85;
    private static final Set<String> FIELDS = Set.of("source", "operations", "format", "quality", "output");

    /**
     * @param plainHttpAllowed whether a plain {@code http} source URL is acceptable: only where the worker may
     *                         fetch one ({@code JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS}, local testing)
     */
    public static List<FieldError> validate(JsonNode payload, boolean plainHttpAllowed) {
        List<FieldError> errors = new ArrayList<>();
        parse(payload, plainHttpAllowed, errors);
        return errors;
    }

    /** @throws IllegalArgumentException naming the first problem */
    public static ImagePayload from(JsonNode payload, boolean plainHttpAllowed) {
        List<FieldError> errors = new ArrayList<>();
        ImagePayload p = parse(payload, plainHttpAllowed, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(errors.get(0).field() + ": " + errors.get(0).message());
        }
        return p;
    }

    private static ImagePayload parse(JsonNode p, boolean plainHttpAllowed, List<FieldError> errors) {
        if (p == null || !p.isObject()) {
            errors.add(new FieldError("payload", "must be an object"));
            return null;
        }
        p.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                errors.add(new FieldError("payload." + f, "unknown field"));
            }
        });
        ImageSource source = source(p.get("source"), plainHttpAllowed, errors);
        List<Operation> ops = operations(p.get("operations"), errors);
        OutputFormat format = null;
        JsonNode f = p.get("format");
        if (f == null || !f.isTextual() || !(f.asText().equals("png") || f.asText().equals("jpeg"))) {
            errors.add(new FieldError("payload.format", "must be \"png\" or \"jpeg\""));
        } else {
            format = OutputFormat.valueOf(f.asText().toUpperCase(Locale.ROOT));
        }
        int quality = DEFAULT_QUALITY;
        JsonNode q = p.get("quality");
        if (q != null) {
            if (!q.canConvertToInt() || !q.isIntegralNumber() || q.asInt() < 1 || q.asInt() > 100) {
                errors.add(new FieldError("payload.quality", "must be an integer from 1 to 100"));
            } else {
                quality = q.asInt();
            }
        }
        String output = null;
        JsonNode o = p.get("output");
        if (o != null) {
            JsonNode blob = o.get("blob");
            if (!o.isObject() || blob == null || !blob.isTextual() || o.size() != 1) {
                errors.add(new FieldError("payload.output", "must be {\"blob\": \"<key>\"}"));
            } else if (BlobKey.problemWith(blob.asText()) != null) {
                errors.add(new FieldError("payload.output.blob", BlobKey.problemWith(blob.asText())));
            } else {
                output = blob.asText();
            }
        }
        return errors.isEmpty() ? new ImagePayload(source, ops, format, quality, output) : null;
    }

    private static ImageSource source(JsonNode s, boolean plainHttpAllowed, List<FieldError> errors) {
        if (s == null || !s.isObject() || s.size() != 1) {
            errors.add(new FieldError("payload.source", "must have exactly one of url, base64, blob"));
            return null;
        }
        String kind = s.fieldNames().next();
        JsonNode v = s.get(kind);
        if (!v.isTextual() || v.asText().isEmpty()) {
            errors.add(new FieldError("payload.source." + kind, "must be a non-empty string"));
            return null;
        }
        String text = v.asText();
        switch (kind) {
            case "url" -> {
                try {
                    URI u = new URI(text);
                    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                    // The worker fetches plain http only where private networks are allowed (local testing): the
                    // same rule here, so a URL it would refuse is refused at submit instead of dead-lettered later.
                    if (!(scheme.equals("https") || (plainHttpAllowed && scheme.equals("http"))) || u.getHost() == null
                            || u.getRawUserInfo() != null) {
                        errors.add(new FieldError("payload.source.url", "must be an https URL with a host and no user info"));
                        return null;
                    }
                    if (u.getRawFragment() != null) {
                        errors.add(new FieldError("payload.source.url", "must not have a fragment"));
                        return null;
                    }
                    if (IpLiteral.isNonCanonicalIpv4(u.getHost())) {
                        errors.add(new FieldError("payload.source.url", "host must be a name or an IPv4 address in plain dotted"
                                + " decimal (clients read forms like 0177.0.0.1, 0x7f.1 or 127.1 differently)"));
                        return null;
                    }
                    return new ImageSource.Url(u);
                } catch (URISyntaxException e) {
                    errors.add(new FieldError("payload.source.url", "is not a valid URL"));
                    return null;
                }
            }
            case "base64" -> {
                try {
                    return new ImageSource.Inline(Base64.getDecoder().decode(text.replaceAll("\\s", "")));
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError("payload.source.base64", "is not valid base64"));
                    return null;
                }
            }
            case "blob" -> {
                String problem = BlobKey.problemWith(text);
                if (problem != null) {
                    errors.add(new FieldError("payload.source.blob", problem));
                    return null;
                }
                return new ImageSource.Blob(text);
            }
            default -> {
                errors.add(new FieldError("payload.source", "must have exactly one of url, base64, blob"));
                return null;
            }
        }
    }

    private static List<Operation> operations(JsonNode ops, List<FieldError> errors) {
        List<Operation> out = new ArrayList<>();
        if (ops == null) {
            return out;
        }
        if (!ops.isArray() || ops.size() > MAX_OPERATIONS) {
            errors.add(new FieldError("payload.operations", "must be an array of at most " + MAX_OPERATIONS));
            return out;
        }
        for (int i = 0; i < ops.size(); i++) {
            String at = "payload.operations[" + i + "]";
            JsonNode op = ops.get(i);
            String name = op.path("op").asText("");
            switch (name) {
                case "resize" -> {
                    Integer w = dimension(op, "width", at, errors, false);
                    Integer h = dimension(op, "height", at, errors, false);
                    if (w == null && h == null) {
                        errors.add(new FieldError(at, "resize needs width, height or both"));
                    }
                    Fit fit = Fit.CONTAIN;
                    if (op.has("fit")) {
                        try {
                            fit = Fit.parse(op.get("fit").asText());
                        } catch (IllegalArgumentException e) {
                            errors.add(new FieldError(at + ".fit", "must be contain, cover or fill"));
                        }
                    }
                    out.add(new Operation.Resize(w, h, fit));
                }
                case "crop" -> {
                    Integer x = coordinate(op, "x", at, errors);
                    Integer y = coordinate(op, "y", at, errors);
                    Integer w = dimension(op, "width", at, errors, true);
                    Integer h = dimension(op, "height", at, errors, true);
                    if (x != null && y != null && w != null && h != null) {
                        out.add(new Operation.Crop(x, y, w, h));
                    }
                }
                case "rotate" -> {
                    JsonNode d = op.get("degrees");
                    if (d == null || !d.isIntegralNumber() || d.asInt() % 90 != 0 || Math.abs(d.asInt()) > 360) {
                        errors.add(new FieldError(at + ".degrees", "must be a multiple of 90 between -360 and 360"));
                    } else {
                        out.add(new Operation.Rotate(Math.floorMod(d.asInt(), 360)));
                    }
                }
                case "grayscale" -> out.add(new Operation.Grayscale());
                default -> errors.add(new FieldError(at + ".op", "must be resize, crop, rotate or grayscale"));
            }
        }
        return out;
    }

    private static Integer dimension(JsonNode op, String field, String at, List<FieldError> errors, boolean required) {
        JsonNode v = op.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(new FieldError(at + "." + field, "is required"));
            }
            return null;
        }
        if (!v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > MAX_DIMENSION) {
            errors.add(new FieldError(at + "." + field, "must be an integer from 1 to " + MAX_DIMENSION));
            return null;
        }
        return v.asInt();
    }

    private static Integer coordinate(JsonNode op, String field, String at, List<FieldError> errors) {
        JsonNode v = op.get(field);
        if (v == null || !v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > MAX_DIMENSION * 10) {
            errors.add(new FieldError(at + "." + field, "must be a non-negative integer"));
            return null;
        }
        return v.asInt();
    }
}
