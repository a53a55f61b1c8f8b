package io.durablejobs.pdf;

/** Dead-letter reasons of {@code pdf.render}: each one permanent but {@link #TIME_BUDGET_EXCEEDED}. */
public final class PdfReasons {
    public static final String INVALID_PAYLOAD = "invalid_payload";
    /** More blocks than {@code JOBS_PDF_MAX_BLOCKS} (also refused at submit with the default limit). */
    public static final String TOO_MANY_BLOCKS = "too_many_blocks";
    /** The layout needed more pages than {@code JOBS_PDF_MAX_PAGES}. */
    public static final String TOO_MANY_PAGES = "too_many_pages";
    /** An image blob over {@code JOBS_PDF_MAX_IMAGE_BYTES}, or all images over {@code JOBS_PDF_MAX_TOTAL_IMAGE_BYTES}. */
    public static final String IMAGE_TOO_LARGE = "image_too_large";
    public static final String IMAGE_NOT_FOUND = "image_not_found";
    /** Not a PNG or JPEG PDFBox can embed. */
    public static final String INVALID_IMAGE = "invalid_image";
    /**
     * The render did not finish before the job's deadline. Retried while attempts remain (the only reason
     * here that is); on the last attempt the job is dead-lettered with this reason.
     */
    public static final String TIME_BUDGET_EXCEEDED = "time_budget_exceeded";

    private PdfReasons() {
    }
}
