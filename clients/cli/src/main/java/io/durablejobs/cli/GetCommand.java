package io.durablejobs.cli;

import io.durablejobs.client.Job;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "get", description = "Show a job's status.", mixinStandardHelpOptions = true)
final class GetCommand implements Callable<Integer> {
    @ParentCommand
    JobsCli root;

    @Parameters(paramLabel = "JOB_ID")
    String jobId;

    @Override
    public Integer call() {
        Job j = root.client().get(jobId);
        JobView.print(root.output(), j);
        return ExitCodes.OK;
    }
}
