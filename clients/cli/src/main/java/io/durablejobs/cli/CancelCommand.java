package io.durablejobs.cli;

import io.durablejobs.client.JobCancelled;
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
        Output o = root.output();
        for (String id : jobIds) {
            JobCancelled c = root.client().cancel(id);
            if (o.json()) {
                o.json(c);
            } else if (c.requestOnly()) {
                o.line("cancellation requested " + c.jobId() + " (running: it ends cancelled if its handler stops)");
            } else {
                o.line("cancelled " + c.jobId());
            }
        }
        return ExitCodes.OK;
    }
}
