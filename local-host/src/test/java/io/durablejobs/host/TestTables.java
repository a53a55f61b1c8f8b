package io.durablejobs.host;

import java.io.InputStream;
import java.io.UncheckedIOException;

/** The test function table (src/test/resources/test-functions.json). */
final class TestTables {
    private TestTables() {
    }

    static FunctionTable functions() {
        try (InputStream in = TestTables.class.getResourceAsStream("/test-functions.json")) {
            return FunctionTable.parse(in);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FunctionSpec spec(String name) {
        return functions().functions().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }
}
