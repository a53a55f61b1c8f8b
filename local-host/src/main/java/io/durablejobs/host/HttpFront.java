package io.durablejobs.host;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's HTTP server: Netty reads and checks each request, then the host's handlers run it on a
 * virtual thread. Netty rather than the JDK's {@code HttpServer} because the JDK server reads headers on
 * its worker threads without a deadline (so clients that never finish their headers took every thread and
 * stalled {@code /healthz} and the API for everyone), and answers malformed requests with fixed text/html
 * pages that cannot be replaced. Here:
 * <ul>
 * <li>a connection costs no thread until its request is complete; a request's headers must arrive within
 * {@link HttpLimits#headerTimeout()} of its first byte and its body within {@link HttpLimits#bodyTimeout()}
 * of its headers ({@code 408}); an idle connection closes after {@link HttpLimits#idleTimeout()};
 * <li>one client (remote address) holds at most {@link HttpLimits#maxConnectionsPerClient()} connections and
 * all clients at most {@link HttpLimits#maxConnections()} ({@code 429} / {@code 503}, then closed);
 * <li>every error of the HTTP layer (bad request line or target, bad {@code Content-Length}, headers too
 * large, timeouts) is an RFC 9457 {@code application/problem+json} answer and the connection is closed;
 * <li>a body over API Gateway's 10 MB is API Gateway's own {@code 413 {"message":...}}.
 * </ul>
 * Requests on one connection are answered in order: one pipelined behind another waits for it (and reading
 * pauses while one waits).
 */
final class HttpFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    private static final AttributeKey<Deadlines> DEADLINES = AttributeKey.valueOf("jobs.deadlines");
    static final int MAX_REQUEST_LINE = 8 * 1024;
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-", 1).factory());
    private final Channel server;
    private final List<Map.Entry<String, HttpHandler>> routes;
    private final HttpLimits limits;
    private final ConnectionCounter counter;
    /** Body bytes that connections may still receive or hold before their handler is done with them. */
    private final AtomicLong bodyBudget;

    private HttpFront(InetSocketAddress address, HttpLimits limits, List<Map.Entry<String, HttpHandler>> routes) throws InterruptedException {
        this.limits = limits;
        this.routes = routes;
        this.counter = new ConnectionCounter(limits);
        this.bodyBudget = new AtomicLong(limits.maxBodyBytesInFlight());
        this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            this.server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("limit", counter)
                                    .addLast("first-byte", new FirstByte())
                                    .addLast("codec", new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADER_BYTES, 64 * 1024))
                                    .addLast("deadlines", new RequestProgress())
                                    .addLast("aggregate", new BodyLimit())
                                    .addLast("dispatch", new Dispatch());
                        }
                    })
                    .bind(address).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            shutdownGroups();
            throw e;
        }
    }

    /** Body bytes connections may still claim now (for tests that must wait until a body holds its room). */
    long bodyBytesFree() {
        return bodyBudget.get();
    }

    /**
     * Serves {@code routes} (path prefix to handler; the longest matching prefix wins, like the JDK
     * server's contexts) on {@code address} (port 0: any free port).
     */
    static HttpFront start(InetSocketAddress address, HttpLimits limits, Map<String, HttpHandler> routes) throws InterruptedException {
        List<Map.Entry<String, HttpHandler>> sorted = routes.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getKey().length(), a.getKey().length())).toList();
        return new HttpFront(address, limits, sorted);
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The address it listens on (the wildcard address when bound to every interface). */
    InetAddress address() {
        return ((InetSocketAddress) server.localAddress()).getAddress();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        handlers.shutdown();
        try {
            handlers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdownGroups();
    }

    private void shutdownGroups() {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private HttpHandler route(String path) {
        for (Map.Entry<String, HttpHandler> r : routes) {
            if (path.startsWith(r.getKey())) {
                return r.getValue();
            }
        }
        return null;
    }

    /** Answers a problem on the HTTP layer and closes the connection (its state is unknown after an error). */
    static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String detail) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(Problem.json(status.code(), status.reasonPhrase(), detail)));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, Problem.CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.channel().config().setAutoRead(false);
        ctx.channel().writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /** The host is receiving as many body bytes as it holds at once: come back in a moment. */
    static void refuseBusy(ChannelHandlerContext ctx) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SERVICE_UNAVAILABLE,
                Unpooled.wrappedBuffer(Problem.json(503, "Service Unavailable",
                        "the host is receiving as many request bodies as it holds at once; retry shortly")));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, Problem.CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                .set(HttpHeaderNames.RETRY_AFTER, 1)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.channel().config().setAutoRead(false);
        ctx.channel().writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /** What a connection's deadline does when it passes. */
    private enum Expiry {
        IDLE, HEADERS, BODY
    }

    /**
     * Per connection (touched only on its event loop): the deadline now running (idle, headers or body), the
     * body bytes its requests hold, and the request being handled with those read after it.
     *
     * <p>A deadline moves with every request (idle, then headers, then body, then none while the handler
     * runs), so it is a time kept here rather than a timer scheduled and cancelled three times a request: one
     * timer per connection fires at the earliest deadline it was set for, and when the deadline has moved
     * on it sleeps again until the new one.
     */
    private final class Deadlines {
        private final ChannelHandlerContext ctx;
        private ScheduledFuture<?> timer;
        private long timerAt;
        /** {@link System#nanoTime()} the running deadline passes at; meaningless while {@link #expiry} is null. */
        private long deadline;
        private Expiry expiry;
        /** A request has started arriving and is not complete yet. */
        private boolean reading;
        /** A request is with its handler and not answered yet. */
        private boolean busy;
        /** Requests complete while another was being handled (pipelined), answered in order after it. */
        private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>(2);
        /** The body bytes each request not answered yet holds in the front's budget, oldest first. */
        private final ArrayDeque<Long> reserved = new ArrayDeque<>(2);

        Deadlines(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        void idle() {
            reading = false;
            arm(limits.idleTimeout().toNanos(), Expiry.IDLE);
        }

        void headersStarted() {
            reading = true;
            arm(limits.headerTimeout().toNanos(), Expiry.HEADERS);
        }

        void bodyStarted() {
            arm(limits.bodyTimeout().toNanos(), Expiry.BODY);
        }

        /** The request is complete: no deadline of the front's while its handler runs. */
        void handling() {
            reading = false;
            expiry = null;
        }

        private void arm(long nanos, Expiry what) {
            deadline = System.nanoTime() + nanos;
            expiry = what;
            if (timer != null && timerAt - deadline <= 0) {
                return; // the timer fires first and sleeps again until this deadline
            }
            if (timer != null) {
                timer.cancel(false);
            }
            schedule(deadline);
        }

        private void schedule(long at) {
            timerAt = at;
            timer = ctx.executor().schedule(this::expire, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        private void expire() {
            timer = null;
            if (expiry == null || !ctx.channel().isActive()) {
                return;
            }
            if (System.nanoTime() - deadline < 0) {
                schedule(deadline);
                return;
            }
            Expiry what = expiry;
            expiry = null;
            switch (what) {
                case IDLE -> ctx.close();
                case HEADERS -> refuse(ctx, HttpResponseStatus.REQUEST_TIMEOUT,
                        "the request's headers did not arrive within " + limits.headerTimeout().toSeconds() + " s");
                case BODY -> refuse(ctx, HttpResponseStatus.REQUEST_TIMEOUT,
                        "the request's body did not arrive within " + limits.bodyTimeout().toSeconds() + " s");
            }
        }

        /** The connection is closed: no timer, and the requests it held are dropped. */
        void closed() {
            expiry = null;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            FullHttpRequest r;
            while ((r = waiting.poll()) != null) {
                r.release();
            }
            Long bytes;
            while ((bytes = reserved.poll()) != null) {
                bodyBudget.addAndGet(bytes);
            }
        }

        /** Claims room for a body of {@code bytes} from the front's budget; false when there is none. */
        boolean reserve(long bytes) {
            long left;
            do {
                left = bodyBudget.get();
                if (left < bytes) {
                    return false;
                }
            } while (!bodyBudget.compareAndSet(left, left - bytes));
            reserved.add(bytes);
            return true;
        }

        /** The oldest request not answered yet has been answered: its room goes back to the budget. */
        void answered() {
            Long bytes = reserved.poll();
            if (bytes != null) {
                bodyBudget.addAndGet(bytes);
            }
        }
    }

    /** Bounds connections per client and in all; starts the idle deadline of an accepted connection. */
    @ChannelHandler.Sharable
    private final class ConnectionCounter extends ChannelInboundHandlerAdapter {
        private final HttpLimits limits;
        private final AtomicInteger total = new AtomicInteger();
        private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();

        ConnectionCounter(HttpLimits limits) {
            this.limits = limits;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            int mine = perClient.computeIfAbsent(client, c -> new AtomicInteger()).incrementAndGet();
            int all = total.incrementAndGet();
            Deadlines d = new Deadlines(ctx);
            ctx.channel().attr(DEADLINES).set(d);
            ctx.channel().closeFuture().addListener(f -> {
                ctx.executor().execute(d::closed);
                total.decrementAndGet();
                perClient.computeIfPresent(client, (c, n) -> n.decrementAndGet() <= 0 ? null : n);
            });
            if (mine > limits.maxConnectionsPerClient()) {
                refuse(ctx, HttpResponseStatus.TOO_MANY_REQUESTS,
                        "this client already holds " + limits.maxConnectionsPerClient() + " connections");
                return;
            }
            if (all > limits.maxConnections()) {
                refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "the host is at its limit of " + limits.maxConnections() + " connections");
                return;
            }
            d.idle();
            super.channelActive(ctx);
        }
    }

    /** The first byte of a request ends the idle deadline and starts the header deadline. */
    private static final class FirstByte extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            Deadlines d = ctx.channel().attr(DEADLINES).get();
            if (d != null && !d.reading && msg instanceof ByteBuf b && b.isReadable()) {
                d.headersStarted();
            }
            super.channelRead(ctx, msg);
        }
    }

    /**
     * Headers read: the body claims its room in the front's budget (its {@code Content-Length}, or the
     * 10 MB maximum when chunked; none left: {@code 503}) and its deadline runs. Body read: the handler's
     * turn (no deadline of the front's).
     */
    private final class RequestProgress extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            Deadlines d = ctx.channel().attr(DEADLINES).get();
            if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
                long length = HttpUtil.isTransferEncodingChunked(request) ? ApiGatewayEmulator.MAX_BODY_BYTES
                        : Math.min(HttpUtil.getContentLength(request, 0L), ApiGatewayEmulator.MAX_BODY_BYTES + 1L);
                if (!d.reserve(length)) {
                    ReferenceCountUtil.release(msg);
                    refuseBusy(ctx);
                    return;
                }
                d.bodyStarted();
            }
            if (msg instanceof LastHttpContent) {
                d.handling();
            }
            super.channelRead(ctx, msg);
        }
    }

    /** Collects the body up to API Gateway's 10 MB; a larger one gets API Gateway's own 413. */
    private static final class BodyLimit extends HttpObjectAggregator {
        BodyLimit() {
            super(ApiGatewayEmulator.MAX_BODY_BYTES, true);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    Unpooled.copiedBuffer("{\"message\":\"Request Entity Too Large\"}", StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            Channel ch = ctx.channel();
            // The client is usually still sending its body. Closing now, with that body unread, makes the kernel
            // answer with a reset that can destroy the 413 before the client reads it; so, like nginx's lingering
            // close: end our side once the answer is out, throw away what still arrives, and close after a moment
            // (or as soon as the client closes).
            ch.pipeline().addFirst(new Discard());
            ctx.writeAndFlush(r).addListener(f -> {
                if (ch instanceof SocketChannel socket && f.isSuccess()) {
                    socket.shutdownOutput();
                    ch.eventLoop().schedule(() -> ch.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
                } else {
                    ch.close();
                }
            });
        }
    }

    /** How long an oversized request's remaining body is read and discarded after the 413 is sent. */
    private static final long LINGER_MILLIS = 2_000;

    /** Drops every inbound byte: the connection has been answered and only waits for the client to stop sending. */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** A complete request: checked, then handed to its handler on a virtual thread; reading pauses meanwhile. */
    private final class Dispatch extends SimpleChannelInboundHandler<HttpObject> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg.decoderResult().isFailure()) {
                Throwable cause = msg.decoderResult().cause();
                if (cause instanceof TooLongHttpLineException) {
                    refuse(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "the request line is longer than " + MAX_REQUEST_LINE + " bytes");
                } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
                    refuse(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                            "the request's headers are larger than " + MAX_HEADER_BYTES + " bytes");
                } else {
                    refuse(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: " + describe(cause));
                }
                return;
            }
            if (!(msg instanceof FullHttpRequest request)) {
                return;
            }
            Deadlines d = ctx.channel().attr(DEADLINES).get();
            if (d.busy) {
                // Pipelined: answered after the one before it. Reading pauses until then, so a client cannot
                // queue requests without bound.
                d.waiting.add(request.retain());
                ctx.channel().config().setAutoRead(false);
                return;
            }
            handle(d, request);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /**
     * Hands a complete request to its handler on a virtual thread. Reading goes on meanwhile: a client that
     * waits for its answer sends nothing more, and one that pipelines has its next requests queued in order
     * ({@link Dispatch}); pausing and resuming reads for every request cost two system calls a request.
     */
    private void handle(Deadlines d, FullHttpRequest request) {
        ChannelHandlerContext ctx = d.ctx;
        URI uri;
        try {
            uri = new URI(request.uri());
        } catch (URISyntaxException e) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "the request target is not a valid URI: " + e.getReason());
            return;
        }
        String path = uri.getRawPath();
        if (path == null || !path.startsWith("/")) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "the request target must be an absolute path");
            return;
        }
        HttpHandler handler = route(path);
        if (handler == null) {
            refuse(ctx, HttpResponseStatus.NOT_FOUND, "no route for " + path);
            return;
        }
        Headers headers = new Headers();
        request.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
        byte[] body = ByteBufUtil.getBytes(request.content());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = request.method().name().equals("HEAD");
        HttpVersion version = request.protocolVersion();
        Channel ch = ctx.channel();
        d.busy = true;
        FrontExchange exchange = new FrontExchange(request.method().name(), uri, version.text(), headers, body,
                (InetSocketAddress) ch.remoteAddress(), (InetSocketAddress) ch.localAddress(),
                r -> respond(d, r, version, keepAlive, head));
        handlers.execute(() -> {
            try {
                handler.handle(exchange);
            } catch (Exception | LinkageError e) {
                LOG.warn("request to {} failed in the host: {}", path, e.toString());
            } finally {
                exchange.close();
            }
        });
    }

    private static String describe(Throwable cause) {
        if (cause == null || cause.getMessage() == null) {
            return "unreadable request";
        }
        String m = cause.getMessage();
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    private void respond(Deadlines d, FrontExchange.Response r, HttpVersion version, boolean keepAlive, boolean head) {
        FullHttpResponse out = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(r.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
        r.headers().forEach((name, values) -> out.headers().add(name.toLowerCase(Locale.ROOT), values));
        boolean noBody = r.status() == 204 || r.status() == 304 || (r.status() >= 100 && r.status() < 200);
        if (!noBody) {
            out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        }
        if (!keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version.equals(HttpVersion.HTTP_1_0)) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        Channel ch = d.ctx.channel();
        ch.writeAndFlush(out).addListener(f -> {
            // On the connection's event loop (the write's listener).
            if (!keepAlive || !f.isSuccess()) {
                ch.close();
                return;
            }
            d.answered();
            d.busy = false;
            FullHttpRequest next = d.waiting.poll();
            if (next != null) {
                try {
                    handle(d, next);
                } finally {
                    next.release();
                }
                return;
            }
            if (!d.reading) {
                d.idle(); // else the next request has started arriving and its own deadline runs
            }
            if (!ch.config().isAutoRead()) {
                ch.config().setAutoRead(true); // resumes reading
            }
        });
    }
}
