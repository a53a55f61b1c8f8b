package io.durablejobs.cli;

import io.durablejobs.client.Job;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "wait", description = "Wait until a job succeeds or dead-letters, showing progress; exit 1 if it dead-letters, 5 on timeout.",
        mixinStandardHelpOptions = true)
final class WaitCommand implements Callable<Integer> {
    @ParentCommand
    JobsCli root;

    @Parameters(paramLabel = "JOB_ID")
    String jobId;

    @Option(names = "--timeout", defaultValue = "PT5M", description = "ISO-8601 (default PT5M) or seconds")
    String timeout;

    @Override
    public Integer call() {
        Output o = root.output();
        Job done = root.client().waitUntilFinal(jobId, duration(timeout), j -> {
            if (!o.json()) {
                root.io.err().println(JobView.progress(j));
            }
        });
        JobView.print(o, done);
        return JobView.exitCode(done);
    }

    static Duration duration(String text) {
        try {
            Duration d = text.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(text)) : Duration.parse(text);
            if (d.isNegative() || d.isZero()) {
                throw new UsageException("--timeout must be positive");
            }
            return d;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new UsageException("--timeout: not a duration (e.g. 30 or PT2M): " + text);
        }
    }
}
