package io.durablejobs.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** What the CLI reads and writes, passed in so tests run it in-process. */
record Io(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
}
