package io.durablejobs.cli;

import io.durablejobs.client.JobsClient;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The commands that call one API route for each id they are given ({@code schedules get|pause|resume|delete},
 * {@code dlq show|replay|discard}, {@code cancel}): each answer is printed as it comes, the API's JSON with
 * {@code --json}, else the command's own text. A failure stops at its id and reaches {@link JobsCli#report}: one plain message and
 * its exit code, the ids before it already done and printed.
 */
final class PerId {
    private PerId() {
    }

    /** Calls {@code route} for each id in turn and prints each answer. */
    static <T> int print(JobsCli root, List<String> ids, BiFunction<JobsClient, String, T> route, BiConsumer<Output, T> text) {
        Output o = root.output();
        for (String id : ids) {
            o.print(route.apply(root.client(), id), text);
        }
        return ExitCodes.OK;
    }

    /**
     * For routes that answer nothing (delete, discard): each id done is printed as {@code "<verb> <id>"}, or
     * with {@code --json} as {@code {"<idField>": id, "<verb>": true}}.
     */
    static int done(JobsCli root, List<String> ids, BiConsumer<JobsClient, String> route, String idField, String verb) {
        return print(root, ids, (api, id) -> {
            route.accept(api, id);
            return Map.of(idField, id, verb, true);
        }, (o, answer) -> o.line(verb + " " + answer.get(idField)));
    }
}
