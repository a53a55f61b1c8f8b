package io.durablejobs.webhook;

/** The dead-letter reasons {@code webhook.deliver} gives, as shown in the DLQ and on the job. */
public final class DeliveryReasons {
    /** The receiver answered 410 Gone: the endpoint was removed on purpose. */
    public static final String ENDPOINT_GONE = "endpoint_gone";
    /** The receiver answered 3xx; redirects are not followed (they could lead past the SSRF checks). */
    public static final String REDIRECT_REFUSED = "redirect_refused";
    /** The receiver answered a 4xx other than 408, 410 and 429: sending again will not help. */
    public static final String CLIENT_ERROR = "client_error";
    /** The target resolves to a loopback, private, link-local or otherwise refused address. */
    public static final String FORBIDDEN_TARGET = "forbidden_target";
    /** The payload does not pass validation (an old message, or one that skipped the submit checks). */
    public static final String INVALID_PAYLOAD = "invalid_payload";

    private DeliveryReasons() {
    }
}
