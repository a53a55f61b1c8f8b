package io.durablejobs.cli;

import io.durablejobs.client.JobsClient;
import io.durablejobs.client.Schedule;
import io.durablejobs.client.ScheduleRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "schedules", description = "Recurring schedules: create, list, get, pause, resume, delete.", mixinStandardHelpOptions = true,
        subcommands = {SchedulesCommand.Create.class, SchedulesCommand.ListSchedules.class, SchedulesCommand.Get.class,
                SchedulesCommand.Pause.class, SchedulesCommand.Resume.class, SchedulesCommand.Delete.class})
final class SchedulesCommand implements Runnable {
    @ParentCommand
    JobsCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "schedules needs a command: create, list, get, pause, resume or delete");
    }

    static void print(Output o, Schedule s) {
        o.print(s, SchedulesCommand::text);
    }

    private static void text(Output o, Schedule s) {
        o.fields("schedule", s.scheduleId(), "cron", s.cron(), "time zone", s.timeZone(), "status", s.status().wire(),
                "job type", s.job().type(), "priority", s.job().priority(), "payload", s.job().payload() == null ? null : s.job().payload().toString(),
                "overlap", s.overlap().wire(), "missed ticks", s.missedTicks().wire(), "created", s.createdAt(), "next run", s.nextRunAt(),
                "last run", s.lastRunAt(), "last job", s.lastJobId());
    }

    /** get, pause and resume: one route by schedule id, answered with the schedule. */
    abstract static class OneSchedule implements Callable<Integer> {
        @ParentCommand
        SchedulesCommand parent;

        @Parameters(paramLabel = "SCHEDULE_ID")
        String id;

        private final BiFunction<JobsClient, String, Schedule> route;

        OneSchedule(BiFunction<JobsClient, String, Schedule> route) {
            this.route = route;
        }

        @Override
        public Integer call() {
            return PerId.print(parent.root, List.of(id), route, SchedulesCommand::text);
        }
    }

    @Command(name = "create", description = "Submit a job on every tick of a cron expression. PAYLOAD is JSON text, @FILE, or - (stdin).",
            mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {
        @ParentCommand
        SchedulesCommand parent;

        @Option(names = "--cron", required = true, description = "five fields: minute hour day-of-month month day-of-week, e.g. '0 9 * * 1-5'")
        String cron;

        @Option(names = {"--tz", "--time-zone"}, paramLabel = "ZONE", description = "IANA time zone the cron follows (default UTC), e.g. Europe/Berlin")
        String timeZone;

        @Parameters(index = "0", paramLabel = "TYPE", description = "the job type each tick submits")
        String type;

        @Parameters(index = "1", paramLabel = "PAYLOAD", arity = "0..1", defaultValue = "-", description = "JSON, @file, or - for stdin")
        String payload;

        @Option(names = {"-p", "--priority"}, description = "0-9 (default: the API's, 4)")
        Integer priority;

        @Option(names = "--overlap", description = "skip (default): no job while the previous one is in flight; allow: submit anyway")
        String overlap;

        @Option(names = "--missed", paramLabel = "POLICY", description = "ticks missed while nothing ran: run_once (default) or skip")
        String missed;

        @Override
        public Integer call() {
            if (priority != null && (priority < 0 || priority > 9)) {
                throw new UsageException("--priority must be 0-9");
            }
            Schedule.Overlap ov = overlap == null ? null : Schedule.Overlap.of(overlap.toLowerCase(Locale.ROOT));
            if (ov == Schedule.Overlap.UNKNOWN) {
                throw new UsageException("--overlap: skip or allow, not " + overlap);
            }
            Schedule.MissedTicks mt = missed == null ? null : Schedule.MissedTicks.of(missed.toLowerCase(Locale.ROOT).replace('-', '_'));
            if (mt == Schedule.MissedTicks.UNKNOWN) {
                throw new UsageException("--missed: run_once or skip, not " + missed);
            }
            ScheduleRequest r = new ScheduleRequest(cron, timeZone,
                    new Schedule.JobTemplate(type, SubmitCommand.readJsonObject(payload, parent.root.io, "payload"), priority), ov, mt);
            Schedule s = parent.root.client().createSchedule(r);
            print(parent.root.output(), s);
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "The tenant's schedules, oldest first.", mixinStandardHelpOptions = true)
    static final class ListSchedules implements Callable<Integer> {
        @ParentCommand
        SchedulesCommand parent;

        @Override
        public Integer call() {
            List<Schedule> all = parent.root.client().listSchedules();
            Output o = parent.root.output();
            if (o.json()) {
                o.json(Map.of("schedules", all));
                return ExitCodes.OK;
            }
            if (all.isEmpty()) {
                o.line("no schedules");
                return ExitCodes.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (Schedule s : all) {
                rows.add(List.of(s.scheduleId(), s.cron(), Output.cell(s.timeZone()), s.status().wire(), Output.cell(s.job().type()),
                        String.valueOf(s.nextRunAt() == null ? "-" : s.nextRunAt()), Output.cell(s.lastJobId())));
            }
            o.table(List.of("SCHEDULE ID", "CRON", "TIME ZONE", "STATUS", "JOB TYPE", "NEXT RUN", "LAST JOB"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", description = "One schedule: its next tick, its last tick and job.", mixinStandardHelpOptions = true)
    static final class Get extends OneSchedule {
        Get() {
            super(JobsClient::getSchedule);
        }
    }

    @Command(name = "pause", description = "No ticks until resumed.", mixinStandardHelpOptions = true)
    static final class Pause extends OneSchedule {
        Pause() {
            super(JobsClient::pauseSchedule);
        }
    }

    @Command(name = "resume", description = "Ticks again, from the next one.", mixinStandardHelpOptions = true)
    static final class Resume extends OneSchedule {
        Resume() {
            super(JobsClient::resumeSchedule);
        }
    }

    @Command(name = "delete", description = "Delete schedules; the jobs they already submitted are not touched.", mixinStandardHelpOptions = true)
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        SchedulesCommand parent;

        @Parameters(paramLabel = "SCHEDULE_ID", arity = "1..*")
        List<String> ids;

        @Override
        public Integer call() {
            return PerId.done(parent.root, ids, JobsClient::deleteSchedule, "scheduleId", "deleted");
        }
    }
}
