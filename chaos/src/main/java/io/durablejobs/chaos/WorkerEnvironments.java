package io.durablejobs.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The worker execution environments the embedded local host runs as JVMs of their own
 * ({@code JOBS_HOST_ISOLATION=process}): child processes running Lambda's runtime interface client with the
 * worker's handler. Killing one with SIGKILL is a Lambda sandbox dying mid-batch; the host fails the
 * invocation, the batch goes back to the queue, and the next batch gets a new environment.
 */
final class WorkerEnvironments {
    private final String handlerClass;

    WorkerEnvironments(String handlerClass) {
        this.handlerClass = handlerClass;
    }

    List<ProcessHandle> alive() {
        return ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive)
                .filter(p -> {
                    String c = commandLine(p);
                    return c.contains("AWSLambda") && c.contains(handlerClass);
                })
                .toList();
    }

    /** The full command line: /proc/<pid>/cmdline where there is one (ProcessHandle.Info may cut a long class path). */
    static String commandLine(ProcessHandle p) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return p.info().commandLine().orElse("");
        }
    }

    /** SIGKILLs one environment, if one is running; returns its pid. */
    Optional<Long> killOne() {
        List<ProcessHandle> envs = alive();
        if (envs.isEmpty()) {
            return Optional.empty();
        }
        ProcessHandle victim = envs.get(ThreadLocalRandom.current().nextInt(envs.size()));
        victim.destroyForcibly();
        victim.onExit().join();
        return Optional.of(victim.pid());
    }
}
