package io.durablejobs.host.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;

/**
 * Test queue function for environments in their own JVM: records {@code data|redelivered|pid} lines in
 * {@code $TEST_RECORD_DIR/records}. A message {@code hang} makes the first environment that sees it write
 * its pid to {@code hung} and block, so a test can SIGKILL it mid-batch.
 */
public class FileRecordingRabbitHandler implements RequestHandler<RabbitMQEvent, Void> {
    private final Path dir = Path.of(System.getenv("TEST_RECORD_DIR"));

    @Override
    public Void handleRequest(RabbitMQEvent event, Context context) {
        long pid = ProcessHandle.current().pid();
        try {
            for (List<RabbitMQEvent.RabbitMessage> messages : event.getRmqMessagesByQueue().values()) {
                for (RabbitMQEvent.RabbitMessage m : messages) {
                    String data = new String(Base64.getDecoder().decode(m.getData()), StandardCharsets.UTF_8);
                    if (data.equals("hang") && !Files.exists(dir.resolve("hung"))) {
                        Files.writeString(dir.resolve("hung"), Long.toString(pid));
                        Thread.sleep(60_000);
                    }
                    Files.writeString(dir.resolve("records"), data + "|" + m.getRedelivered() + "|" + pid + "\n",
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
