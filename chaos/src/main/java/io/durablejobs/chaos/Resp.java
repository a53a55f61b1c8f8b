package io.durablejobs.chaos;

import java.nio.charset.StandardCharsets;

/** RESP encoding of one command, for the few raw calls the run makes over the Unix socket. */
final class Resp {
    private Resp() {
    }

    static byte[] command(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
