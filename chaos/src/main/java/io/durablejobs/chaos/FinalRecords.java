package io.durablejobs.chaos;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The platform's status record of each job at the end, read from Redis ({@code <ns>:job:{id}} status), pipelined. */
final class FinalRecords {
    private FinalRecords() {
    }

    /** Job id to status; a job without a record maps to "absent". */
    static Map<String, String> read(String redisUri, String namespace, Collection<String> jobIds) throws Exception {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisAsyncCommands<String, String> cmd = c.async();
            Map<String, String> out = new HashMap<>();
            List<String> batch = new ArrayList<>();
            for (String id : jobIds) {
                batch.add(id);
                if (batch.size() == 1000) {
                    fetch(cmd, namespace, batch, out);
                    batch.clear();
                }
            }
            fetch(cmd, namespace, batch, out);
            return out;
        } finally {
            client.shutdown();
        }
    }

    private static void fetch(RedisAsyncCommands<String, String> cmd, String ns, List<String> ids, Map<String, String> out) throws Exception {
        List<RedisFuture<String>> fs = new ArrayList<>();
        for (String id : ids) {
            fs.add(cmd.hget(ns + ":job:{" + id + "}", "status"));
        }
        for (int i = 0; i < ids.size(); i++) {
            String s = fs.get(i).get(30, TimeUnit.SECONDS);
            out.put(ids.get(i), s == null ? "absent" : s);
        }
    }
}
