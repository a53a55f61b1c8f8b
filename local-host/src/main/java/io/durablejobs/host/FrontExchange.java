package io.durablejobs.host;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One complete request the {@link HttpFront} read, presented as the JDK's {@link HttpExchange} so the
 * host's handlers ({@link ApiGatewayEmulator}, {@link DashboardHandler}) do not depend on the server under
 * them. The response body is buffered (API Gateway answers at most 10 MB) and handed to the front on
 * {@link #close()}.
 */
final class FrontExchange extends HttpExchange {
    /** What the handler answered: its status, headers and (buffered) body. */
    record Response(int status, Headers headers, byte[] body) {
    }

    private final String method;
    private final URI uri;
    private final String protocol;
    private final Headers requestHeaders;
    private final InputStream body;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final Consumer<Response> onClose;
    private final Headers responseHeaders = new Headers();
    private final ByteArrayOutputStream responseBody = new ByteArrayOutputStream();
    private final Map<String, Object> attributes = new HashMap<>();
    private int status = -1;
    private boolean closed;

    FrontExchange(String method, URI uri, String protocol, Headers requestHeaders, byte[] body, InetSocketAddress remote,
            InetSocketAddress local, Consumer<Response> onClose) {
        this.method = method;
        this.uri = uri;
        this.protocol = protocol;
        this.requestHeaders = requestHeaders;
        this.body = new ByteArrayInputStream(body);
        this.remote = remote;
        this.local = local;
        this.onClose = onClose;
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return method;
    }

    @Override
    public HttpContext getHttpContext() {
        return null;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (status < 0) {
            // The handler answered nothing: the JDK server would drop the connection; say so instead.
            onClose.accept(new Response(500, new Headers(), new byte[0]));
            return;
        }
        onClose.accept(new Response(status, responseHeaders, responseBody.toByteArray()));
    }

    @Override
    public InputStream getRequestBody() {
        return body;
    }

    @Override
    public OutputStream getResponseBody() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                responseBody.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                responseBody.write(b, off, len);
            }

            @Override
            public void close() {
                FrontExchange.this.close();
            }
        };
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) {
        if (status >= 0) {
            throw new IllegalStateException("response headers already sent");
        }
        status = rCode;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return remote;
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return local;
    }

    @Override
    public String getProtocol() {
        return protocol;
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        throw new UnsupportedOperationException("filters are not used by the host");
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }
}
