package io.durablejobs.cli;

import io.durablejobs.client.Job;
import io.durablejobs.client.JobPage;
import io.durablejobs.client.JobQuery;
import io.durablejobs.client.JobStatus;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "list", description = "The tenant's jobs, newest first: one page (--cursor for the next), or every page with --all.",
        mixinStandardHelpOptions = true)
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    JobsCli root;

    @Option(names = {"-s", "--status"}, split = ",", paramLabel = "STATUS",
            description = "only these statuses (comma-separated or repeated): scheduled, queued, running, retrying, succeeded, dead_lettered, cancelled")
    List<String> statuses = new ArrayList<>();

    @Option(names = {"-t", "--type"}, description = "only this job type")
    String type;

    @Option(names = "--created-after", paramLabel = "INSTANT", description = "only jobs created at or after this RFC 3339 instant")
    String createdAfter;

    @Option(names = "--created-before", paramLabel = "INSTANT", description = "only jobs created at or before this RFC 3339 instant")
    String createdBefore;

    @Option(names = "--limit", description = "page size, 1-100 (default 20)")
    Integer limit;

    @Option(names = "--cursor", description = "the next page, as printed after a page that has more")
    String cursor;

    @Option(names = "--all", description = "follow every page (from --cursor, if given)")
    boolean all;

    @Override
    public Integer call() {
        if (limit != null && (limit < 1 || limit > 100)) {
            throw new UsageException("--limit must be 1-100");
        }
        Set<JobStatus> wanted = EnumSet.noneOf(JobStatus.class);
        for (String s : statuses) {
            JobStatus st = JobStatus.of(s.trim());
            if (st == JobStatus.UNKNOWN) {
                throw new UsageException("--status: not a status: " + s
                        + " (scheduled, queued, running, retrying, succeeded, dead_lettered, cancelled)");
            }
            wanted.add(st);
        }
        JobQuery q = new JobQuery(wanted, type, createdAfter == null ? null : SubmitCommand.instant(createdAfter, "--created-after"),
                createdBefore == null ? null : SubmitCommand.instant(createdBefore, "--created-before"), limit, cursor);
        Output o = root.output();
        if (all) {
            // One line per job as it arrives: a long listing starts printing at once and never sits in memory.
            List<List<String>> rows = new ArrayList<>();
            int n = 0;
            for (Job j : root.client().listAllJobs(q)) {
                n++;
                if (o.json()) {
                    o.json(j);
                } else {
                    rows.add(row(j));
                }
            }
            if (!o.json()) {
                print(o, rows);
                o.line(n + " job" + (n == 1 ? "" : "s"));
            }
            return ExitCodes.OK;
        }
        JobPage page = root.client().listJobs(q);
        if (o.json()) {
            o.json(page);
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        page.items().forEach(j -> rows.add(row(j)));
        print(o, rows);
        if (page.nextCursor() != null) {
            o.line("more: jobs list --cursor " + page.nextCursor() + " (same filters), or --all");
        }
        return ExitCodes.OK;
    }

    private static void print(Output o, List<List<String>> rows) {
        if (rows.isEmpty()) {
            o.line("no jobs");
        } else {
            o.table(List.of("JOB ID", "TYPE", "STATUS", "ATTEMPTS", "CREATED", "DETAIL"), rows);
        }
    }

    /** DETAIL: what a person looks for next, by status: when it runs, how far it got, why it failed. */
    private static List<String> row(Job j) {
        String detail;
        if (j.status() == JobStatus.SCHEDULED && j.runAt() != null) {
            detail = "runs at " + j.runAt();
        } else if (j.status() == JobStatus.RETRYING && j.nextAttemptAt() != null) {
            detail = "next attempt " + j.nextAttemptAt() + (j.error() == null ? "" : "; " + j.error());
        } else if (j.progress() != null && !j.status().isFinal()) {
            detail = JobView.progressText(j);
        } else {
            detail = j.error();
        }
        if (j.cancelPending() && !j.status().isFinal()) {
            detail = "cancel requested" + (detail == null ? "" : "; " + detail);
        }
        return List.of(j.jobId(), Output.cell(j.type()), j.status().wire(), Integer.toString(j.attempts()), String.valueOf(j.createdAt()),
                Output.cell(Output.clip(detail, 70)));
    }
}
