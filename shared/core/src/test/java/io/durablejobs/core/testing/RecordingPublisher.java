package io.durablejobs.core.testing;

import io.durablejobs.core.port.JobPublisher;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.PublishException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what would have been published; can be told to refuse (as a broker that does not confirm). */
public final class RecordingPublisher implements JobPublisher {
    private final List<OutboundMessage> published = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;

    public void setRefusing(boolean refusing) {
        this.refusing = refusing;
    }

    @Override
    public void publish(OutboundMessage message) throws PublishException {
        if (refusing) {
            throw new PublishException("broker did not confirm (test)");
        }
        published.add(message);
    }

    public List<OutboundMessage> published() {
        return published;
    }
}
