package io.durablejobs.cli;

import io.durablejobs.client.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "stats", description = "The tenant's ledger: accepted = succeeded + dead-lettered + in flight, per type.",
        mixinStandardHelpOptions = true)
final class StatsCommand implements Callable<Integer> {
    @ParentCommand
    JobsCli root;

    @Override
    public Integer call() {
        Stats s = root.client().stats();
        Output o = root.output();
        if (o.json()) {
            o.json(s);
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Stats.Counts> e : new TreeMap<>(s.types()).entrySet()) {
            Stats.Counts c = e.getValue();
            rows.add(List.of(e.getKey(), Long.toString(c.accepted()), Long.toString(c.succeeded()), Long.toString(c.deadLettered()),
                    Long.toString(c.inFlight())));
        }
        rows.add(List.of("(all)", Long.toString(s.accepted()), Long.toString(s.succeeded()), Long.toString(s.deadLettered()),
                Long.toString(s.inFlight())));
        o.table(List.of("TYPE", "ACCEPTED", "SUCCEEDED", "DEAD-LETTERED", "IN FLIGHT"), rows);
        o.line("balanced: " + (s.balanced() ? "yes" : "NO (accepted differs from succeeded + dead-lettered + in flight)"));
        return ExitCodes.OK;
    }
}
