package io.durablejobs.host.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedDeque;

/** Test queue function on the stream interface: keeps the exact event JSON the mapping sent. */
public class RawEventRecorder implements RequestStreamHandler {
    public static final ConcurrentLinkedDeque<byte[]> EVENTS = new ConcurrentLinkedDeque<>();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EVENTS.add(input.readAllBytes());
    }
}
