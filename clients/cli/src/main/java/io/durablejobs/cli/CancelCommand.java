package io.durablejobs.cli;

import io.durablejobs.client.JobsClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "cancel", description = "Cancel jobs: a scheduled, queued or retrying job at once; a running one is asked to stop "
        + "(it ends cancelled if its handler stops). A finished job is refused (exit 3).", mixinStandardHelpOptions = true)
final class CancelCommand implements Callable<Integer> {
    @ParentCommand
    JobsCli root;

    @Parameters(paramLabel = "JOB_ID", arity = "1..*")
    List<String> jobIds;

    @Override
    public Integer call() {
        return PerId.print(root, jobIds, JobsClient::cancel, (o, c) -> o.line(c.requestOnly()
                ? "cancellation requested " + c.jobId() + " (running: it ends cancelled if its handler stops)"
                : "cancelled " + c.jobId()));
    }
}
