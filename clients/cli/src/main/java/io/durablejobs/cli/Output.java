package io.durablejobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** Tables for people, one JSON line per result for scripts. */
final class Output {
    private final PrintStream out;
    private final boolean json;

    Output(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    void json(Object value) {
        try {
            out.println(JobsCli.JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One result: as JSON with {@code --json}, else as {@code text} writes it. */
    <T> void print(T value, BiConsumer<Output, T> text) {
        if (json) {
            json(value);
        } else {
            text.accept(this, value);
        }
    }

    /** Label/value lines, labels aligned; null values are left out. */
    void fields(Object... labelsAndValues) {
        int width = 0;
        for (int i = 0; i < labelsAndValues.length; i += 2) {
            width = Math.max(width, labelsAndValues[i].toString().length());
        }
        for (int i = 0; i < labelsAndValues.length; i += 2) {
            Object v = labelsAndValues[i + 1];
            if (v != null) {
                out.printf("%-" + width + "s  %s%n", labelsAndValues[i], v);
            }
        }
    }

    /** Columns sized to their widest cell. */
    void table(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] w = new int[header.size()];
        for (List<String> r : all) {
            for (int i = 0; i < r.size(); i++) {
                w[i] = Math.max(w[i], cell(r.get(i)).length());
            }
        }
        for (List<String> r : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                String c = cell(r.get(i));
                line.append(i == r.size() - 1 ? c : String.format("%-" + w[i] + "s  ", c));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    void line(String s) {
        out.println(s);
    }

    static String cell(String s) {
        return s == null ? "-" : s;
    }

    static String clip(String s, int max) {
        if (s == null) {
            return null;
        }
        String one = s.replaceAll("\\s+", " ");
        return one.length() > max ? one.substring(0, max - 1) + "…" : one;
    }
}
