package io.durablejobs.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** HTTP spoken over a plain socket, for requests no well-behaved client library would send. */
final class RawHttp {
    private RawHttp() {
    }

    static Socket open(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        return s;
    }

    static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** One request on its own connection; the whole answer (the host closes the connection after an error). */
    static String exchange(int port, String request) throws IOException {
        try (Socket s = open(port)) {
            send(s, request);
            return readUntilClosed(s);
        }
    }

    /** Everything the server sends until it closes the connection (or the socket's read timeout). */
    static String readUntilClosed(Socket s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // what arrived so far
        } catch (IOException e) {
            // reset after the answer: keep what arrived
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static int status(String response) {
        String[] parts = response.split(" ", 3);
        return parts.length < 2 ? -1 : Integer.parseInt(parts[1]);
    }

    static String body(String response) {
        int i = response.indexOf("\r\n\r\n");
        return i < 0 ? "" : response.substring(i + 4);
    }

    static String header(String response, String name) {
        for (String line : response.substring(0, Math.max(0, response.indexOf("\r\n\r\n"))).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
