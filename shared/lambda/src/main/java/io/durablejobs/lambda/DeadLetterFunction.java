package io.durablejobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.Connection;
import io.durablejobs.adapters.dlq.ParkedDeadLetterDrain;
import io.durablejobs.adapters.ledger.BrokerQueuedMessages;
import io.durablejobs.core.config.Env;
import io.durablejobs.core.dlq.DeadLetterDecoder;
import io.durablejobs.core.dlq.DeadLetterRecorder;
import io.durablejobs.core.dlq.DeadLetterStore;
import io.durablejobs.core.dlq.DeadLetterStoreUnavailableException;
import io.durablejobs.core.dlq.DlqDepth;
import io.durablejobs.core.ledger.LedgerCheck;
import io.durablejobs.core.metrics.MetricNames;
import io.durablejobs.core.metrics.MetricsPusher;
import io.durablejobs.core.port.StoreUnavailableException;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.work.IncomingMessage;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DLQ consumer, on the dead queue's RabbitMQ event-source mapping ({@code <ns>.dead}): a durable record
 * per message, the job's status and ledger settled, then the alarm metrics pushed (PutMetricData on AWS,
 * the local host's metrics view locally): {@code DeadLetters}, {@code DlqDepth}, {@code DlqOldestAgeSeconds}, {@code DlqParked},
 * {@code LedgerMismatch}, {@code LedgerInFlight}, and {@code QueueDepth} per job type.
 *
 * <p>It never throws for a bad message (that is recorded as it came). It throws only when the dead-letter
 * store or Redis cannot be reached: the mapping then redelivers the whole batch and nothing is lost;
 * messages already recorded are recognised as such. A failed metrics push is logged, not thrown.
 *
 * <p>A letter it failed on {@link Topology#DEAD_QUEUE_DELIVERY_LIMIT} times is
 * moved by the broker to the parking queue instead of being dropped; every run (each batch, and the
 * per-minute schedule's empty event) records what is parked there once the store answers again.
 */
public class DeadLetterFunction implements RequestHandler<RabbitMQEvent, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterFunction.class);

    private final DeadLetterRecorder recorder;
    private final DeadLetterStore store;
    private final FunctionTelemetry telemetry;
    private final LedgerCheck ledgerCheck;
    private final Clock clock;
    private final ParkedDeadLetterDrain parked;
    private final Connection amqp;
    /** The work queues whose depth is pushed (QueueDepth per type). */
    private final Topology depthTopology;

    /** Parked letters recorded per run at most, so one run stays well inside the function's timeout. */
    static final int PARKED_PER_RUN = 200;

    /** The deployed handler: its own environment, secrets resolved from Secrets Manager. */
    public DeadLetterFunction() {
        this(FunctionStart.connect(SecretsManagerFetcher.resolve(Env.current()), "dlq-consumer", (s, registry) -> DeadLetterSettings.read(s)));
    }

    private DeadLetterFunction(FunctionStart<DeadLetterSettings> start) {
        this(start.clients(), start.settings());
    }

    /** Over clients someone else owns (tests). */
    public DeadLetterFunction(PlatformClients c, DeadLetterSettings settings) {
        this.store = c.deadLetters();
        this.telemetry = c.telemetry();
        this.clock = c.clock();
        this.amqp = c.amqp();
        this.depthTopology = settings.queueDepthTypes().isEmpty() ? c.topology() : c.config().topology(settings.queueDepthTypes());
        this.recorder = new DeadLetterRecorder(store, c.store(), c.ledger(), telemetry.metrics(), telemetry.tracing(), c.config().statusTtl(),
                clock);
        this.ledgerCheck = new LedgerCheck(c.ledger(), new BrokerQueuedMessages(c.amqp(), c.topology()), settings.ledgerMismatchGrace(), clock);
        this.parked = new ParkedDeadLetterDrain(c.amqp(), c.topology().parkedDeadQueue(), c.topology().deadQueue());
    }

    @Override
    public Void handleRequest(RabbitMQEvent event, Context context) {
        List<IncomingMessage> messages = RabbitMqEventDecoder.decode(event);
        int recorded = 0;
        try {
            for (IncomingMessage m : messages) {
                if (record(m) == DeadLetterRecorder.Recorded.NEW) {
                    recorded++;
                }
            }
            recorded += drainParked();
        } finally {
            telemetry.flush();
        }
        push(recorded);
        return null;
    }

    private DeadLetterRecorder.Recorded record(IncomingMessage m) {
        try {
            return recorder.record(m);
        } catch (DeadLetterStoreUnavailableException | StoreUnavailableException e) {
            throw new BatchNotRecordedException("dead letters not recorded (" + e.getMessage() + "); the mapping will redeliver the batch", e);
        } catch (RuntimeException e) {
            // Never re-throw for a bad record: keep the message as it came, with what went wrong.
            LOG.warn("dead letter could not be processed, recording it as malformed messageId={}: {}", m.messageId(), e.toString());
            try {
                store.put(DeadLetterDecoder.malformed(m, clock.instant(), "processing failed: " + e));
                return DeadLetterRecorder.Recorded.NEW;
            } catch (DeadLetterStoreUnavailableException unavailable) {
                throw new BatchNotRecordedException("dead letters not recorded (" + unavailable.getMessage() + ")", unavailable);
            }
        }
    }

    /** Parked letters are already safe where they are: a failure here is logged and retried on the next run, never thrown. */
    private int drainParked() {
        int[] recorded = {0};
        try {
            parked.drain(PARKED_PER_RUN, m -> {
                if (record(m) == DeadLetterRecorder.Recorded.NEW) {
                    recorded[0]++;
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("parked dead letters not recorded this run, they stay parked: {}", e.toString());
        }
        return recorded[0];
    }

    /** The alarm metrics, pushed so alarms see them within a minute; a failure here costs a data point, not the batch. */
    private void push(int recorded) {
        try {
            Instant now = clock.instant();
            DlqDepth depth = store.depth();
            LedgerCheck.Result ledger = ledgerCheck.run();
            List<MetricsPusher.Datum> data = new ArrayList<>();
            data.add(new MetricsPusher.Datum(MetricNames.DEAD_LETTERS, recorded, "Count", Map.of()));
            data.add(new MetricsPusher.Datum(MetricNames.DLQ_DEPTH, depth.count(), "Count", Map.of()));
            data.add(new MetricsPusher.Datum(MetricNames.DLQ_OLDEST_AGE, depth.oldestAgeSeconds(now), "Seconds", Map.of()));
            long parkedNow = parked.count();
            if (parkedNow >= 0) {
                data.add(new MetricsPusher.Datum(MetricNames.DLQ_PARKED, parkedNow, "Count", Map.of()));
            }
            data.add(new MetricsPusher.Datum(MetricNames.LEDGER_MISMATCH, ledger.mismatch(), "Count", Map.of()));
            data.add(new MetricsPusher.Datum(MetricNames.LEDGER_IN_FLIGHT, ledger.inFlight(), "Count", Map.of()));
            // Each job type's backlog, every minute (the schedule): with the workers' QueueAgeSeconds it tells a
            // queue backing up, or one nobody consumes, apart from a quiet one.
            WorkQueueDepths.read(amqp, depthTopology).forEach((type, ready) -> data.add(
                    new MetricsPusher.Datum(MetricNames.QUEUE_DEPTH, ready, "Count", Map.of(MetricNames.DIM_TYPE, type))));
            telemetry.pusher().push(data);
            if (ledger.difference() != 0) {
                LOG.warn("ledger differs inFlight={} queued={} difference={} reported={}", ledger.inFlight(), ledger.queued(), ledger.difference(),
                        ledger.mismatch());
            }
        } catch (RuntimeException e) {
            LOG.warn("DLQ metrics not pushed: {}", e.toString());
        }
    }

    /** Thrown to make the event-source mapping redeliver the whole batch. */
    public static final class BatchNotRecordedException extends RuntimeException {
        public BatchNotRecordedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
