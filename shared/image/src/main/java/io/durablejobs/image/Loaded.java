package io.durablejobs.image;

import io.durablejobs.core.type.Outcome;

/** The source's bytes, or the outcome that ends the job instead (not found, refused, try later). */
public sealed interface Loaded {

    record Bytes(byte[] bytes) implements Loaded {
    }

    record Failed(Outcome outcome) implements Loaded {
    }
}
