package io.durablejobs.cli;

import io.durablejobs.client.Job;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "wait", description = "Wait until a job succeeds, dead-letters or is cancelled, showing progress; exit 1 unless it succeeded, 5 on timeout.",
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
        Job done = root.client().waitUntilFinal(jobId, duration(timeout, "--timeout"), j -> {
            if (!o.json()) {
                root.io.err().println(JobView.progress(j));
            }
        });
        JobView.print(o, done);
        return JobView.exitCode(done);
    }

    static Duration duration(String text, String option) {
        return duration(text, option, false);
    }

    /** ISO-8601 ({@code PT2M}, {@code P2D}) or seconds ({@code 30}, {@code 4.5}); positive, or with {@code zeroOk} not negative. */
    static Duration duration(String text, String option, boolean zeroOk) {
        try {
            Duration d = text.matches("\\d+(\\.\\d{1,3})?") ? Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000)) : Duration.parse(text);
            if (d.isNegative() || (d.isZero() && !zeroOk)) {
                throw new UsageException(option + " must be positive");
            }
            return d;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new UsageException(option + ": not a duration (e.g. 30 or PT2M): " + text);
        }
    }
}
