package io.durablejobs.lambda;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import org.slf4j.Logger;

/**
 * The functions' log configuration, set in code (a logback {@link Configurator}, found through
 * {@code META-INF/services}) rather than in a {@code logback.xml}: reading XML loads the JDK's XML parser and
 * logback's Joran, about 500 classes and a tenth of a second of a cold start, for a configuration that
 * never changes. What it sets:
 * <ul>
 *   <li>{@code JOBS_LOG_FORMAT=JSON} (the default): one JSON object per line on stdout, with the MDC (jobId,
 *       type, attempt, tenant, traceId) and the formatted message, without sequence numbers, nanoseconds,
 *       the logger context, the raw message or its arguments; CloudWatch Logs Insights reads it.
 *       {@code TEXT}: readable lines instead. Any other value falls back to JSON;</li>
 *   <li>{@code JOBS_LOG_LEVEL} (default {@code INFO}): the root level;</li>
 *   <li>Netty, Lettuce, the AWS SDK and OpenTelemetry log at WARN and above;</li>
 *   <li>logback's own status messages are dropped.</li>
 * </ul>
 * Both settings are read as logback reads a {@code ${NAME}} variable: a system property first, then the
 * environment.
 *
 * <p>A configuration file still wins where one is given: {@code -Dlogback.configurationFile} (the local
 * host's {@code logback-host.xml}, the chaos runner's), or a {@code logback-test.xml} or {@code logback.xml}
 * on the class path (tests, tools): then this configurator steps aside and logback reads the file as before.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class FunctionLogging extends ContextAwareBase implements Configurator {
    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} [%X{jobId} %X{type} %X{attempt} %X{tenant} %X{traceId}] - %msg%n";
    private static final String[] QUIET = {"io.netty", "io.lettuce", "software.amazon.awssdk", "io.opentelemetry"};

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null || resource("logback-test.xml") || resource("logback.xml")) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context, setting("JOBS_LOG_FORMAT"), setting("JOBS_LOG_LEVEL"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Configures {@code context} for a format and level as read (each null when not set). */
    static void apply(LoggerContext context, String format, String level) {
        context.getStatusManager().add(new NopStatusListener());
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        boolean text = "TEXT".equals(format);
        console.setName(text ? "TEXT" : "JSON");
        console.setEncoder(text ? textEncoder(context) : jsonEncoder(context));
        console.start();
        for (String name : QUIET) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level == null ? Level.INFO : Level.toLevel(level));
        root.addAppender(console);
    }

    static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithArguments(false);
        json.setWithMessage(false);
        json.setWithFormattedMessage(true);
        json.start();
        return json;
    }

    static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setContext(context);
        pattern.setPattern(TEXT_PATTERN);
        pattern.start();
        return pattern;
    }

    /** As logback resolves {@code ${name}}: a system property, else the environment; null when neither is set. */
    private static String setting(String name) {
        String v = System.getProperty(name);
        return v != null ? v : System.getenv(name);
    }

    private static boolean resource(String name) {
        ClassLoader loader = FunctionLogging.class.getClassLoader();
        return loader != null && loader.getResource(name) != null;
    }
}
