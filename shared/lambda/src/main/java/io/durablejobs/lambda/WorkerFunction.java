package io.durablejobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.durablejobs.core.config.Env;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.adapters.breaker.RedisCircuitBreakers;
import io.durablejobs.core.breaker.CircuitBreakers;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.core.work.BatchRunner;
import io.durablejobs.core.work.IncomingMessage;
import io.durablejobs.core.work.WorkerService;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    private final java.time.Clock clock;

    protected WorkerFunction(String jobType) {
        this(jobType, SecretsManagerFetcher.resolve(Env.current()));
    }

    /** @param env the function's environment with its secrets resolved (read once, at init) */
    private WorkerFunction(String jobType, Map<String, String> env) {
        this(jobType, PlatformClients.connect(JobsConfig.from(env), JobTypeRegistry.fromServiceLoader(),
                env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", jobType + "-worker")), env);
    }

    protected WorkerFunction(String jobType, PlatformClients c, Map<String, String> env) {
        this.jobType = jobType;
        this.clock = c.clock();
        JobType type = c.registry().find(jobType)
                .orElseThrow(() -> new IllegalStateException("job type " + jobType + " is not on the classpath (META-INF/services)"));
        type.start(env);
        WorkerSettings ws = WorkerSettings.from(env);
        var settings = new WorkerService.Settings(c.config().statusTtl(), c.config().handlerSafetyMargin(), c.config().maxDeliveries(),
                ws.maxDeferral(), ws.minRunTime());
        this.telemetry = c.telemetry();
        this.breakerStates = new BreakerStates(telemetry.metrics());
        CircuitBreakers breakers = new RedisCircuitBreakers(c.redis().commands(), c.config().namespace(), ws.breaker(), t -> {
            LOG.info("breaker transition breaker={} from={} to={} source={}", t.breaker(), t.from().wire(), t.to().wire(), t.source());
            breakerStates.changed(t);
        });
        WorkerService worker = new WorkerService(jobType, c.registry(), c.store(), c.ledger(), SubmitFunction.observedPublisher(c),
                c.topology(), settings, c.clock(), new SecureRandom()::nextDouble, breakers,
                new io.durablejobs.core.metrics.JobTelemetry(telemetry.tracing(), telemetry.metrics()), completionEvents(c, env));
        this.runner = new BatchRunner(worker, ws.runner());
        this.safetyMarginMillis = c.config().handlerSafetyMargin().toMillis();
    }

    /** Completion events on {@code <ns>.events} unless {@code JOBS_COMPLETION_EVENTS=false}; callbacks always. */
    static io.durablejobs.core.event.CompletionEvents completionEvents(PlatformClients c, Map<String, String> env) {
        io.durablejobs.core.config.Settings s = new io.durablejobs.core.config.Settings(env);
        boolean on = s.bool("JOBS_COMPLETION_EVENTS", true);
        s.check();
        // A job's callbackUrl is told its outcome through a webhook.deliver job, accepted like a submit: a status
        // record, a confirmed publish, the ledger's count and the tenant's listing (kept as long as any record).
        var index = new io.durablejobs.adapters.redis.RedisJobIndex(c.redis().commands(), c.config().namespace(), c.clock());
        var submit = new io.durablejobs.core.api.SubmitService(c.store(), SubmitFunction.observedPublisher(c),
                new io.durablejobs.core.work.JobMessages(c.topology()), c.config().statusTtl(), c.clock(), c.ledger(), index,
                c.config().statusTtl().plus(io.durablejobs.core.api.DelayLimits.from(env).maxDelay()));
        var callbacks = new io.durablejobs.core.event.CompletionCallbacks(c.store(), submit, c.clock());
        return new io.durablejobs.core.event.CompletionEvents(on ? c.publisher() : io.durablejobs.core.event.EventPublisher.NONE,
                c.topology(), callbacks);
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
