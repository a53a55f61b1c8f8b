package io.durablejobs.image;

/** One step of a transform, applied in the order given. */
public sealed interface Operation {

    /** Width or height may be null (keep the aspect ratio from the other); never both. */
    record Resize(Integer width, Integer height, Fit fit) implements Operation {
    }

    /** A rectangle of the image as it is at that step, in pixels from the top left. */
    record Crop(int x, int y, int width, int height) implements Operation {
    }

    /** Clockwise, a multiple of 90 (lossless). */
    record Rotate(int degrees) implements Operation {
    }

    record Grayscale() implements Operation {
    }
}
