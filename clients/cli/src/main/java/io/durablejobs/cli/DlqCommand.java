package io.durablejobs.cli;

import io.durablejobs.client.BulkReplayResult;
import io.durablejobs.client.DeadLetter;
import io.durablejobs.client.DeadLetterPage;
import io.durablejobs.client.DeadLetterQuery;
import io.durablejobs.client.DeadLetterSummary;
import io.durablejobs.client.JobsClient;
import io.durablejobs.client.ReplayFilter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "dlq", description = "Dead letters: list, show, replay, discard.", mixinStandardHelpOptions = true,
        subcommands = {DlqCommand.ListDeadLetters.class, DlqCommand.Show.class, DlqCommand.Replay.class, DlqCommand.Discard.class})
final class DlqCommand implements Runnable {
    @ParentCommand
    JobsCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "dlq needs a command: list, show, replay or discard");
    }

    static Instant instant(String text, String option) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new UsageException(option + ": not an RFC 3339 instant (e.g. 2026-01-01T00:00:00Z): " + text);
        }
    }

    @Command(name = "list", description = "Dead letters, newest first.", mixinStandardHelpOptions = true)
    static final class ListDeadLetters implements Callable<Integer> {
        @ParentCommand
        DlqCommand dlq;

        @Option(names = "--type", description = "only this job type")
        String type;

        @Option(names = "--reason", description = "only this reason, e.g. retries_exhausted, permanent_failure")
        String reason;

        @Option(names = "--before", description = "only those dead-lettered before this instant")
        String before;

        @Option(names = "--limit", description = "1-100 (default 20)")
        Integer limit;

        @Option(names = "--cursor", description = "the next page, as printed after a full page")
        String cursor;

        @Override
        public Integer call() {
            DeadLetterPage page = dlq.root.client().deadLetters(new DeadLetterQuery(type, reason, instant(before, "--before"), limit, cursor));
            Output o = dlq.root.output();
            if (o.json()) {
                o.json(page);
                return ExitCodes.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (DeadLetterSummary d : page.items()) {
                rows.add(List.of(d.jobId(), Output.cell(d.type()), Output.cell(d.reason()), Integer.toString(d.attempts()),
                        String.valueOf(d.deadLetteredAt()), Output.cell(Output.clip(d.lastError(), 60))));
            }
            if (rows.isEmpty()) {
                o.line("no dead letters");
            } else {
                o.table(List.of("JOB ID", "TYPE", "REASON", "ATTEMPTS", "DEAD-LETTERED AT", "LAST ERROR"), rows);
            }
            if (page.nextCursor() != null) {
                o.line("more: jobs dlq list --cursor " + page.nextCursor());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "One dead letter: payload, attempts, lineage.", mixinStandardHelpOptions = true)
    static final class Show implements Callable<Integer> {
        @ParentCommand
        DlqCommand dlq;

        @Parameters(paramLabel = "JOB_ID")
        String jobId;

        @Override
        public Integer call() {
            return PerId.print(dlq.root, List.of(jobId), JobsClient::deadLetter, Show::text);
        }

        private static void text(Output o, DeadLetter d) {
            o.fields("job", d.jobId(), "type", d.type(), "state", d.state(), "reason", d.reason(), "attempts", d.attempts(),
                    "dead-lettered", d.deadLetteredAt(), "origin", d.origin(), "generation", d.generation(), "trace", d.traceId(),
                    "last error", d.lastError(), "callback", d.callbackUrl(), "payload", d.payload() == null ? null : d.payload().toString());
            if (!d.history().isEmpty()) {
                o.line("");
                List<List<String>> rows = new ArrayList<>();
                d.history().forEach(f -> rows.add(List.of(Integer.toString(f.attempt()), Output.cell(f.at()), Output.cell(f.reason()),
                        Output.cell(Output.clip(f.error(), 80)))));
                o.table(List.of("ATTEMPT", "AT", "REASON", "ERROR"), rows);
            }
            if (!d.previous().isEmpty()) {
                o.line("");
                o.line("earlier deaths: " + d.previous().size());
            }
        }
    }

    @Command(name = "replay", description = "Put dead letters back to work (same job id, attempts reset): the ones named, or with --all every one the filters match.",
            mixinStandardHelpOptions = true)
    static final class Replay implements Callable<Integer> {
        @ParentCommand
        DlqCommand dlq;

        @Parameters(paramLabel = "JOB_ID", arity = "0..*")
        List<String> jobIds = new ArrayList<>();

        @Option(names = "--all", description = "bulk replay: every dead letter matching --type, --reason, --before")
        boolean all;

        @Option(names = "--type")
        String type;

        @Option(names = "--reason")
        String reason;

        @Option(names = "--before")
        String before;

        @Option(names = "--dry-run", description = "with --all: count what would be replayed, replay nothing")
        boolean dryRun;

        @Override
        public Integer call() {
            if (all == !jobIds.isEmpty()) {
                throw new UsageException("give JOB_IDs, or --all (with --type, --reason, --before) for a bulk replay, not both");
            }
            if (!all && (type != null || reason != null || before != null || dryRun)) {
                throw new UsageException("--type, --reason, --before and --dry-run go with --all");
            }
            if (all) {
                Output o = dlq.root.output();
                BulkReplayResult r = dlq.root.client().replayAll(new ReplayFilter(type, reason, instant(before, "--before"), dryRun ? true : null));
                if (o.json()) {
                    o.json(r);
                } else if (r.dryRun()) {
                    o.line("would replay " + r.matched() + (r.truncated() ? "+ (more than one call replays)" : ""));
                } else {
                    o.line("replayed " + r.replayed() + " of " + r.matched() + " matched" + (r.truncated() ? " (more remain: run again)" : "")
                            + (r.failed().isEmpty() ? "" : "; failed: " + String.join(", ", r.failed())));
                }
                return r.failed().isEmpty() ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
            }
            return PerId.print(dlq.root, jobIds, JobsClient::replay, (o, r) -> o.line("replayed " + r.jobId() + " (generation " + r.generation() + ")"));
        }
    }

    @Command(name = "discard", description = "Delete dead letters for good.", mixinStandardHelpOptions = true)
    static final class Discard implements Callable<Integer> {
        @ParentCommand
        DlqCommand dlq;

        @Parameters(paramLabel = "JOB_ID", arity = "1..*")
        List<String> jobIds;

        @Override
        public Integer call() {
            return PerId.done(dlq.root, jobIds, JobsClient::discard, "jobId", "discarded");
        }
    }
}
