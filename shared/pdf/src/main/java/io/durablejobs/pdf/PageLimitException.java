package io.durablejobs.pdf;

/** The layout needs more pages than allowed; the job is dead-lettered as {@code too_many_pages}. */
final class PageLimitException extends RuntimeException {
    PageLimitException(int maxPages) {
        super("the document needs more than " + maxPages + " pages");
    }
}
