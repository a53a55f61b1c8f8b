package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The functions' logging set in code gives the same lines as the XML configuration it replaced
 * ({@code function-logback-as-xml.xml}, read by logback's own Joran here), for each format and level.
 */
class FunctionLoggingTest {
    private static final List<String> LOGGERS = List.of(Logger.ROOT_LOGGER_NAME, "io.durablejobs.lambda.SubmitFunction", "io.netty.channel.X",
            "io.lettuce.core.RedisClient", "software.amazon.awssdk.core.X", "io.opentelemetry.sdk.X", "com.rabbitmq.client.X");

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {"-,-", "JSON,-", "TEXT,-", "-,DEBUG", "TEXT,WARN", "JSON,ERROR", "TEXT,TRACE"})
    void sameLevelsAppenderAndLinesAsTheXml(String format, String level) throws Exception {
        LoggerContext xml = fromXml(format, level);
        LoggerContext code = new LoggerContext();
        FunctionLogging.apply(code, format, level);

        for (String name : LOGGERS) {
            assertThat(code.getLogger(name).getEffectiveLevel()).as(name).isEqualTo(xml.getLogger(name).getEffectiveLevel());
        }
        ConsoleAppender<ILoggingEvent> fromXml = onlyAppender(xml);
        ConsoleAppender<ILoggingEvent> inCode = onlyAppender(code);
        assertThat(inCode.getName()).isEqualTo(fromXml.getName()).isEqualTo(format == null ? "JSON" : format);
        assertThat(inCode.getTarget()).isEqualTo(fromXml.getTarget());
        assertThat(inCode.isStarted()).isTrue();

        for (ILoggingEvent e : List.of(event(xml, null), event(xml, new IllegalStateException("broker gone")))) {
            String expected = new String(fromXml.getEncoder().encode(e), StandardCharsets.UTF_8);
            assertThat(new String(inCode.getEncoder().encode(e), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
    }

    @Test
    void jsonLinesCarryTheMdcAndTheFormattedMessageOnly() {
        LoggerContext code = new LoggerContext();
        FunctionLogging.apply(code, null, null);
        String line = new String(onlyAppender(code).getEncoder().encode(event(code, null)), StandardCharsets.UTF_8);
        assertThat(line).contains("\"jobId\":\"job-1\"", "\"tenant\":\"acme\"", "\"formattedMessage\":\"job job-1 done in 12 ms\"")
                .doesNotContain("sequenceNumber", "nanoseconds", "\"arguments\"", "\"message\"");
        assertThat(code.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void aConfigurationFileWins() {
        String before = System.getProperty("logback.configurationFile");
        System.setProperty("logback.configurationFile", "io/durablejobs/host/logback-host.xml");
        try {
            LoggerContext context = new LoggerContext();
            FunctionLogging logging = new FunctionLogging();
            logging.setContext(context);
            assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", before);
            }
        }
    }

    private static LoggerContext fromXml(String format, String level) throws Exception {
        LoggerContext c = new LoggerContext();
        // Joran resolves ${NAME} from the context's properties before system properties and the environment.
        if (format != null) {
            c.putProperty("JOBS_LOG_FORMAT", format);
        }
        if (level != null) {
            c.putProperty("JOBS_LOG_LEVEL", level);
        }
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(c);
        joran.doConfigure(FunctionLoggingTest.class.getResource("/function-logback-as-xml.xml"));
        return c;
    }

    @SuppressWarnings("unchecked")
    private static ConsoleAppender<ILoggingEvent> onlyAppender(LoggerContext c) {
        List<Appender<ILoggingEvent>> all = new ArrayList<>();
        c.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(all::add);
        assertThat(all).hasSize(1);
        return (ConsoleAppender<ILoggingEvent>) all.get(0);
    }

    private static ILoggingEvent event(LoggerContext c, Throwable thrown) {
        LoggingEvent e = new LoggingEvent(FunctionLoggingTest.class.getName(), c.getLogger("io.durablejobs.lambda.WorkerFunction"), Level.INFO,
                "job {} done in {} ms", thrown, new Object[]{"job-1", 12});
        e.setMDCPropertyMap(Map.of("jobId", "job-1", "type", "webhook", "attempt", "2", "tenant", "acme", "traceId", "0af7651916cd43dd8448eb211c80319c"));
        return e;
    }
}
