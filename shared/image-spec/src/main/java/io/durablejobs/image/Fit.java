package io.durablejobs.image;

import java.util.Locale;

/** How a resize meets a box of width × height. */
public enum Fit {
    /** Scale to fit inside the box, keeping the aspect ratio (the result may be smaller on one side). */
    CONTAIN,
    /** Scale to cover the box, keeping the aspect ratio, then crop the overflow around the centre. */
    COVER,
    /** Stretch to exactly the box. */
    FILL;

    public static Fit parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
