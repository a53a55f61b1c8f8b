package io.durablejobs.pdf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Greedy word wrapping to a width; a word wider than a whole line is broken between characters. */
final class LineBreaker {
    private LineBreaker() {
    }

    static List<String> lines(FontText text, String showable, float size, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : showable.trim().split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (text.width(candidate, size) <= width) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (line.length() > 0) {
                lines.add(line.toString());
                line.setLength(0);
            }
            // The word alone: split it where it overflows.
            String rest = word;
            while (text.width(rest, size) > width) {
                int cut = 1;
                while (cut < rest.length() && text.width(rest.substring(0, cut + 1), size) <= width) {
                    cut++;
                }
                lines.add(rest.substring(0, cut));
                rest = rest.substring(cut);
            }
            line.append(rest);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
