package io.durablejobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablejobs.client.JobsClient;
import io.durablejobs.client.JobsException;
import io.durablejobs.client.Problem;
import io.durablejobs.client.ProblemException;
import io.durablejobs.client.TransportException;
import io.durablejobs.client.WaitTimeoutException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code ./jobs}: the command-line client of the jobs API. Human tables by default, {@code --json} for
 * scripts; errors print the problem's title and detail (never a stack trace) and exit with a documented
 * code ({@link ExitCodes}).
 */
@Command(name = "jobs", mixinStandardHelpOptions = true, version = "jobs 0.1.0",
        description = "Submit jobs (now, later, in batches, on a schedule), list, read and cancel them, upload blobs, "
                + "inspect and replay dead letters, read the ledger.%n"
                + "Reads JOBS_API_URL (default http://127.0.0.1:8080) and JOBS_API_KEY (./jobs defaults it to ./dev up's dev key).",
        subcommands = {SubmitCommand.class, SubmitBatchCommand.class, GetCommand.class, WaitCommand.class, ListCommand.class,
                CancelCommand.class, SchedulesCommand.class, BlobCommand.class, DlqCommand.class, StatsCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the job did not succeed: dead-lettered or cancelled (submit --wait, wait)", "2:usage: bad arguments, no API key, bad payload",
                "3:the API refused the request (4xx problem)", "4:the API is unavailable or unreachable (after retries)",
                "5:timed out waiting for the job", "6:submit-batch: some jobs accepted, some rejected"})
public final class JobsCli implements Runnable {
    @Option(names = "--json", scope = ScopeType.INHERIT, description = "print the API's JSON (one line per result) instead of tables")
    boolean json;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL", description = "the API (default: JOBS_API_URL, else http://127.0.0.1:8080)")
    String url;

    final Io io;
    private JobsClient client;

    JobsCli(Io io) {
        this.io = io;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is needed (try --help)");
    }

    JobsClient client() {
        if (client == null) {
            String key = io.env().get("JOBS_API_KEY");
            if (key == null || key.isBlank()) {
                throw new UsageException("no API key: set JOBS_API_KEY (./dev up prints the dev key; ./jobs reads it from .jobs-dev/env)");
            }
            String base = url != null ? url : io.env().getOrDefault("JOBS_API_URL", "");
            URI uri;
            try {
                uri = base.isBlank() ? JobsClient.DEFAULT_URL : URI.create(base);
                if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException("not an http(s) URL: " + base);
            }
            client = JobsClient.builder().baseUrl(uri).apiKey(key.trim()).build();
        }
        return client;
    }

    Output output() {
        return new Output(io.out(), json);
    }

    static final ObjectMapper JSON = JobsClient.objectMapper();

    /** Runs one command line; returns the exit code. */
    public static int run(String[] args, Io io) {
        JobsCli root = new JobsCli(io);
        CommandLine cmd = new CommandLine(root);
        // PAYLOAD's @file is ours: picocli would otherwise read it as a file of more arguments.
        cmd.setExpandAtFiles(false);
        cmd.setOut(new PrintWriter(io.out(), true));
        cmd.setErr(new PrintWriter(io.err(), true));
        cmd.setExecutionExceptionHandler((e, line, parsed) -> report(e, io.err()));
        cmd.setParameterExceptionHandler((e, args1) -> {
            io.err().println("error: " + e.getMessage());
            io.err().println("try: jobs " + (e.getCommandLine() == cmd ? "" : e.getCommandLine().getCommandName() + " ") + "--help");
            return ExitCodes.USAGE;
        });
        return cmd.execute(args);
    }

    /** One plain message per failure, with the problem's fields, and the documented exit code. */
    static int report(Exception e, PrintStream err) {
        if (e instanceof UsageException) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (e instanceof IllegalArgumentException) {
            // The client refused the arguments before sending anything (a blob key with a leading /, an empty batch).
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (e instanceof WaitTimeoutException t) {
            err.println("timed out: " + t.getMessage());
            return ExitCodes.TIMED_OUT;
        }
        if (e instanceof ProblemException p) {
            Problem pr = p.problem();
            err.println("error: " + pr.status() + " " + pr.title() + (pr.detail() == null || pr.detail().isBlank() ? "" : ": " + pr.detail()));
            for (Problem.FieldError f : pr.errors()) {
                err.println("  " + (f.field() == null || f.field().isEmpty() ? "(body)" : f.field()) + ": " + f.message());
            }
            if (!"about:blank".equals(pr.type())) {
                err.println("  (" + pr.type() + ")");
            }
            p.retryAfter().ifPresent(d -> err.println("  retry after " + d.toSeconds() + " s"));
            return pr.status() >= 500 || pr.status() == 429 ? ExitCodes.UNAVAILABLE : ExitCodes.REFUSED;
        }
        if (e instanceof TransportException) {
            err.println("error: the API cannot be reached: " + rootMessage(e) + " (is ./dev up running? JOBS_API_URL?)");
            return ExitCodes.UNAVAILABLE;
        }
        if (e instanceof JobsException) {
            err.println("error: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        err.println("error: " + e);
        return ExitCodes.UNAVAILABLE;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ConnectException || c instanceof ClosedChannelException) {
            return "connection refused";
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        System.exit(run(args, new Io(env, System.in, System.out, System.err)));
    }
}
