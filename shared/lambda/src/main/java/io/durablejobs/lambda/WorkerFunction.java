package io.durablejobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.durablejobs.adapters.breaker.RedisCircuitBreakers;
import io.durablejobs.adapters.ledger.RedisLedger;
import io.durablejobs.adapters.redis.RedisJobIndex;
import io.durablejobs.adapters.redis.RedisJobStore;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.adapters.redis.RedisPipeline;
import io.durablejobs.core.api.SubmitService;
import io.durablejobs.core.breaker.CircuitBreakers;
import io.durablejobs.core.config.ConfigException;
import io.durablejobs.core.config.Env;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.event.CompletionCallbacks;
import io.durablejobs.core.event.CompletionEvents;
import io.durablejobs.core.event.EventPublisher;
import io.durablejobs.core.ledger.Ledger;
import io.durablejobs.core.metrics.JobTelemetry;
import io.durablejobs.core.port.JobPublisher;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.work.BatchRunner;
import io.durablejobs.core.work.IncomingMessage;
import io.durablejobs.core.work.JobMessages;
import io.durablejobs.core.work.WorkerService;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker function of one job type, on its queue's RabbitMQ event-source mapping. A type's function
 * is a subclass that names the type: {@code public MyWorker() { super("my.type"); }}.
 *
 * <p>Returns normally when every message of the batch was handed on (completed, sent to a retry tier or
 * to the dead-letter exchange, or still running at the batch's budget and copied to a retry tier while
 * its run goes on, see {@link BatchRunner}): the mapping then acknowledges the batch. Throws only when a hand-off
 * failed (broker or Redis unreachable); the mapping then delivers the whole batch again, and messages
 * already finished are recognised and skipped.
 */
public abstract class WorkerFunction implements RequestHandler<RabbitMQEvent, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerFunction.class);

    private final BatchRunner runner;
    private final long safetyMarginMillis;
    private final FunctionTelemetry telemetry;
    private final BreakerStates breakerStates;
    private final String jobType;
    private final Clock clock;

    /** The deployed handler of {@code jobType}: its own environment, secrets resolved from Secrets Manager. */
    protected WorkerFunction(String jobType) {
        this(jobType, start(jobType, SecretsManagerFetcher.resolve(Env.current())));
    }

    private WorkerFunction(String jobType, FunctionStart<WorkerSettings> start) {
        this(jobType, start.clients(), start.settings());
    }

    /**
     * Over clients someone else owns (tests, benchmarks); the type must be started already.
     *
     * @param settings the worker's own settings ({@link WorkerSettings#DEFAULTS}, or read from an environment)
     */
    protected WorkerFunction(String jobType, PlatformClients c, WorkerSettings settings) {
        if (c.registry().find(jobType).isEmpty()) {
            throw new IllegalStateException("job type " + jobType + " is not on the classpath (META-INF/services)");
        }
        this.jobType = jobType;
        this.clock = c.clock();
        JobsConfig cfg = c.config();
        this.telemetry = c.telemetry();
        this.breakerStates = new BreakerStates(telemetry.metrics());
        WorkerService.Settings run = new WorkerService.Settings(cfg.statusTtl(), cfg.handlerSafetyMargin(), cfg.maxDeliveries(),
                settings.maxDeferral(), settings.minRunTime());
        // Completion events unless JOBS_COMPLETION_EVENTS=false; a job's callbackUrl always. The callback is a
        // webhook.deliver job accepted like a submit: a status record, a confirmed publish, the ledger's count and
        // the tenant's listing (never delayed, so its entry lives as long as its record).
        // The batch's jobs publish concurrently (events, retries, dead letters, callbacks): through the group-commit
        // publisher their messages share one channel and a few confirm round trips per batch.
        JobPublisher published = c.observed(c.publishPipeline());
        var submit = new SubmitService(c.store(), published, new JobMessages(c.topology()),
                cfg.statusTtl(), c.clock(), c.ledger(), new RedisJobIndex(c.redis().commands(), cfg.namespace(), c.clock()),
                cfg.statusTtl());
        CompletionEvents events = new CompletionEvents(settings.completionEvents() ? c.publishPipeline() : EventPublisher.NONE,
                c.topology(), new CompletionCallbacks(c.store(), submit, c.clock()));
        // The batch's jobs claim, finish, count and record their breaker calls concurrently: through the session's
        // group-commit pipeline their calls travel a few flushes per batch instead of one each, and one tenant's
        // counts fold into one call.
        RedisPipeline pipeline = c.redis().pipeline();
        JobStore store = new RedisJobStore(c.redis().commands(), new RedisKeys(cfg.namespace()), c.clock(), pipeline);
        Ledger ledger = new RedisLedger(c.redis().commands(), cfg.namespace(), cfg.statusTtl(), cfg.ledgerTtl(), pipeline);
        CircuitBreakers breakers = new RedisCircuitBreakers(c.redis().commands(), cfg.namespace(), settings.breaker(), t -> {
            LOG.info("breaker transition breaker={} from={} to={} source={}", t.breaker(), t.from().wire(), t.to().wire(), t.source());
            breakerStates.changed(t);
        }, pipeline);
        WorkerService worker = new WorkerService(jobType, c.registry(), store, ledger, published, c.topology(), run,
                c.clock(), new SecureRandom()::nextDouble, breakers, new JobTelemetry(telemetry.tracing(), telemetry.metrics()), events);
        this.runner = new BatchRunner(worker, settings.runner());
        this.safetyMarginMillis = cfg.handlerSafetyMargin().toMillis();
    }

    /**
     * Reads every setting, the job type's own included (the type reads them as it starts), and reports them
     * together before connecting; a type that started is closed again if the function cannot start.
     */
    private static FunctionStart<WorkerSettings> start(String jobType, Map<String, String> env) {
        List<JobType> started = new ArrayList<>(1);
        try {
            return FunctionStart.connect(env, jobType + "-worker", (s, registry) -> {
                WorkerSettings settings = WorkerSettings.read(s);
                Optional<JobType> type = registry.find(jobType);
                if (type.isEmpty()) {
                    s.problem("job type " + jobType + " is not on the classpath (META-INF/services)");
                    return settings;
                }
                try {
                    type.get().start(env);
                    started.add(type.get());
                } catch (ConfigException e) {
                    e.problems().forEach(s::problem);
                }
                return settings;
            });
        } catch (RuntimeException | Error e) {
            started.forEach(JobType::close);
            throw e;
        }
    }

    @Override
    public Void handleRequest(RabbitMQEvent event, Context context) {
        List<IncomingMessage> messages = RabbitMqEventDecoder.decode(event);
        Instant deadline = Instant.now().plusMillis(Math.max(0, context.getRemainingTimeInMillis() - safetyMarginMillis));
        // How long these messages waited in the queue (infra alarms on it per type, together with the depth).
        QueueAge.emit(event, jobType, telemetry.metrics(), clock.instant());
        try {
            runner.run(messages, deadline);
        } catch (BatchRunner.HandOffFailed e) {
            // Could not hand a job on: fail the batch so the broker redelivers it; nothing is lost.
            throw new BatchNotHandedOnException("batch not handed on (" + e.getMessage() + "); the mapping will redeliver it", e);
        } finally {
            breakerStates.report();
            telemetry.flush();
        }
        return null;
    }

    /** Thrown to make the event-source mapping redeliver the whole batch. */
    public static final class BatchNotHandedOnException extends RuntimeException {
        public BatchNotHandedOnException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
