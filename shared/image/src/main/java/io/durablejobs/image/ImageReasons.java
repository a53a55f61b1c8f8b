package io.durablejobs.image;

/** Dead-letter reasons of {@code image.transform}: each one permanent but {@link #TIME_BUDGET_EXCEEDED}. */
public final class ImageReasons {
    public static final String INVALID_PAYLOAD = "invalid_payload";
    /** Declared width × height over {@code JOBS_IMAGE_MAX_PIXELS}, found from the header before decoding. */
    public static final String IMAGE_TOO_LARGE = "image_too_large";
    /** Not an image, or a format other than PNG, JPEG, GIF or BMP. */
    public static final String UNSUPPORTED_FORMAT = "unsupported_format";
    /** The header was fine but the data is broken. */
    public static final String INVALID_IMAGE = "invalid_image";
    /** More bytes than {@code JOBS_IMAGE_MAX_SOURCE_BYTES}. */
    public static final String SOURCE_TOO_LARGE = "source_too_large";
    /** No such blob, or the URL answered 4xx. */
    public static final String SOURCE_NOT_FOUND = "source_not_found";
    /** The URL leads to an address the SSRF policy refuses, or is plain http where that is not allowed. */
    public static final String SOURCE_REFUSED = "source_refused";
    /** A crop outside the image, or a result over the pixel limit. */
    public static final String INVALID_OPERATION = "invalid_operation";
    /**
     * The operations did not finish before the job's deadline: retried while attempts remain (the one reason
     * here that is), dead-lettered with this reason on the last attempt.
     */
    public static final String TIME_BUDGET_EXCEEDED = "time_budget_exceeded";

    private ImageReasons() {
    }
}
