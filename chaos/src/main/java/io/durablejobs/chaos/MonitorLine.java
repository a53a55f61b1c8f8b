package io.durablejobs.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of Redis MONITOR output, e.g. {@code 1700000000.123456 [0 lua] "HSET" "ns:job:{id}" "status" "succeeded"}:
 * the command and its arguments, unescaped ({@code \"}, {@code \\}, {@code \n}, {@code \xHH}, ...).
 */
final class MonitorLine {
    private MonitorLine() {
    }

    /** The arguments (command first), or an empty list for a line that is not a command. */
    static List<String> args(String line) {
        int bracket = line.indexOf("] ");
        if (bracket < 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int i = bracket + 2;
        int n = line.length();
        while (i < n) {
            if (line.charAt(i) != '"') {
                i++;
                continue;
            }
            StringBuilder b = new StringBuilder();
            i++;
            while (i < n && line.charAt(i) != '"') {
                char c = line.charAt(i);
                if (c == '\\' && i + 1 < n) {
                    char e = line.charAt(i + 1);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 'r' -> b.append('\r');
                        case 't' -> b.append('\t');
                        case 'a' -> b.append('\u0007');
                        case 'b' -> b.append('\b');
                        case 'x' -> {
                            if (i + 3 < n) {
                                b.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
                                i += 2;
                            }
                        }
                        default -> b.append(e);
                    }
                    i += 2;
                } else {
                    b.append(c);
                    i++;
                }
            }
            out.add(b.toString());
            i++;
        }
        return out;
    }

    /** Whether the command ran inside a Lua script ({@code [0 lua]}). */
    static boolean fromScript(String line) {
        int open = line.indexOf('[');
        int close = line.indexOf(']');
        return open >= 0 && close > open && line.substring(open, close).endsWith(" lua");
    }
}
